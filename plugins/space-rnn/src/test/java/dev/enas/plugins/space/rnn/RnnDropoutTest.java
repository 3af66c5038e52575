package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.plugin.OptionException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** enas_lm's five dropouts in the language model's graph, at the preset's rates. */
class RnnDropoutTest {

  /** Mask name -> rate of every variational dropout in the published cell's child. */
  private static Map<String, Double> masks(Graph g) {
    Map<String, Double> out = new TreeMap<>();
    for (Node n : g.nodes()) {
      if (n instanceof Node.OpNode o && o.op() instanceof Op.Dropout d) {
        out.put(d.mask(), d.rate());
      }
    }
    return out;
  }

  private static Graph child(RnnSpace space, String arch) {
    return space.child(space.parse(arch));
  }

  private static Op.Embedding embedding(Graph g) {
    return (Op.Embedding) ((Node.OpNode) g.node("x")).op();
  }

  @Test
  void theSearchPresetHasEnasLmSearchChildRates() {
    Graph g = child(RnnTestSpaces.search(), "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2 7 1");
    assertEquals(Map.of("embedding", 0.20, "input", 0.75, "between", 0.25, "output", 0.75), masks(g));
    assertEquals(0.10, embedding(g).wordDropout());
    // The dropped state enters the products, the undropped one is carried; the softmax reads the dropped output.
    Op.Highway node0 = (Op.Highway) ((Node.OpNode) g.node("node0")).op();
    assertTrue(node0.carrySeparate());
    assertEquals(java.util.List.of("x/drop_input", "h_prev/drop", "h_prev"), g.node("node0").inputs());
    assertEquals(java.util.List.of("h/drop"), g.node("logits").inputs());
    assertEquals("h", g.outputs().get(1), "the carried state is not dropped");
  }

  @Test
  void theFinalPresetHasEnasLmFixedRates() {
    Graph g = child(RnnTestSpaces.fin(), "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2");
    assertEquals(Map.of("embedding", 0.175, "input", 0.725, "between", 0.225, "output", 0.75), masks(g));
    assertEquals(0.125, embedding(g).wordDropout());
  }

  @Test
  void zeroRatesLeaveThePlainModelWithTheSameParameters() {
    RnnSpace plain = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).setWordDropout(0)
        .setEmbeddingDropout(0).setInputDropout(0).setBetweenDropout(0).setOutputDropout(0).build());
    String published = "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2";
    Graph g = child(plain, published);
    assertTrue(masks(g).isEmpty());
    assertEquals(0, embedding(g).wordDropout());
    assertFalse(((Op.Highway) ((Node.OpNode) g.node("node0")).op()).carrySeparate());
    assertEquals(child(RnnTestSpaces.fin(), published).parameterCount(), g.parameterCount(),
        "dropout adds no parameter");
  }

  @Test
  void aRateOutsideZeroToOneNamesTheOption() {
    OptionException e = assertThrows(OptionException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setOutputDropout(1.0).build()));
    assertEquals("output_dropout", e.option());
    assertEquals("output_dropout is the fraction dropped and must be in [0, 1), got 1.0", e.getMessage());
    assertThrows(OptionException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setWordDropout(-0.1).build()));
  }
}
