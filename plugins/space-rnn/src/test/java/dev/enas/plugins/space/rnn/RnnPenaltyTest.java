package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.plugin.OptionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** enas_lm's activation (alpha) and slowness (beta) penalties on the cell output, at the presets' weights. */
class RnnPenaltyTest {

  private static Graph child(RnnSpace space, String arch) {
    return space.child(space.parse(arch));
  }

  private static Op.ActivationPenalty penalty(Graph g, String id) {
    return (Op.ActivationPenalty) ((Node.OpNode) g.node(id)).op();
  }

  private static boolean hasPenalty(Graph g) {
    return g.nodes().stream().anyMatch(n -> n instanceof Node.OpNode o && o.op() instanceof Op.ActivationPenalty);
  }

  @Test
  void theSearchPresetPenalisesSlownessAsEnasLmSearchChild() {
    Graph g = child(RnnTestSpaces.search(), "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2 7 1");
    assertEquals(new Op.ActivationPenalty(0, 1.0), penalty(g, "h/penalty"));
    // On the cell output before the output dropout, as enas_lm; the carried state is the output itself.
    assertEquals(List.of("h"), g.node("h/penalty").inputs());
    assertEquals(List.of("h/penalty"), g.node("h/drop").inputs());
    assertEquals("h", g.outputs().get(1));
  }

  @Test
  void theFinalPresetPenalisesActivationsAsEnasLmFixedTraining() {
    Graph g = child(RnnTestSpaces.fin(), RnnTestSpaces.ENAS_LM_PUBLISHED);
    assertEquals(new Op.ActivationPenalty(0.7, 0), penalty(g, "h/penalty"));
  }

  @Test
  void theLstmBaselineIsPenalisedOnItsOutputHalf() {
    RnnSpace lstm = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).setCell(CellKind.LSTM)
        .setNumNodes(8).setHiddenSize(20).setVocabSize(50).build());
    Graph g = child(lstm, "");
    assertEquals(new Op.ActivationPenalty(0.7, 0), penalty(g, "h/out/penalty"));
    assertEquals(List.of("h/out"), g.node("h/out/penalty").inputs());
  }

  @Test
  void optionsOverrideThePresetAndZeroLeavesThePenaltyOutWithTheSameParameters() {
    RnnSpace both = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setActivationL2(2).setSlowness(0.5).build());
    String arch = "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2 7 1";
    assertEquals(new Op.ActivationPenalty(2, 0.5), penalty(child(both, arch), "h/penalty"));
    RnnSpace none = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setSlowness(0).build());
    Graph plain = child(none, arch);
    assertFalse(hasPenalty(plain));
    assertEquals(List.of("h"), plain.node("h/drop").inputs());
    assertEquals(child(RnnTestSpaces.search(), arch).parameterCount(), plain.parameterCount(),
        "a penalty adds no parameter");
    assertTrue(hasPenalty(RnnTestSpaces.search().supernet()), "the supernet carries the search preset's penalty");
  }

  @Test
  void aNegativeOrInfiniteWeightNamesTheOption() {
    OptionException e = assertThrows(OptionException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setActivationL2(-0.5).build()));
    assertEquals("activation_l2", e.option());
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    OptionException f = assertThrows(OptionException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setSlowness(Double.POSITIVE_INFINITY).build()));
    assertEquals("slowness", f.option());
    assertThrows(OptionException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setSlowness(Double.NaN).build()));
  }
}
