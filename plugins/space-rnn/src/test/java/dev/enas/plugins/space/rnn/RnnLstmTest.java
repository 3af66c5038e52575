package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LSTM baseline of the recurrent space: same language model around it, nothing to choose. */
class RnnLstmTest {

  private static RnnSpace lstm(RnnSpaceOptions.Builder o) {
    return RnnTestSpaces.space(o.setCell(CellKind.LSTM).build());
  }

  private static long trainable(Graph g) {
    return g.params().stream().filter(ParamSpec::trainable).mapToLong(p -> p.shape().size()).sum();
  }

  @Test
  void defaultWidthHasAtMostThePublishedCellsParameters() {
    RnnSpace enas = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).setHiddenSize(200).build());
    long published = trainable(enas.child(enas.parse(RnnTestSpaces.ENAS_LM_PUBLISHED)));
    assertEquals(RnnSettings.enasParameters(10000, 200, 8), published, "the count the default width is matched to");

    RnnSpace lstm = lstm(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).setNumNodes(8));
    // FINAL's ENAS cell is H = 800: 20.8M parameters, as enas_lm's.
    assertEquals(20_810_000, RnnSettings.enasParameters(10000, 800, 8), 10_000);
    int h = lstm.settings().hidden();
    assertEquals(1104, h);
    long params = trainable(lstm.child(lstm.parse("")));
    assertEquals(RnnSettings.lstmParameters(10000, h), params);
    assertTrue(params <= RnnSettings.enasParameters(10000, 800, 8), params + " parameters");
    assertTrue(RnnSettings.lstmParameters(10000, h + 1) > RnnSettings.enasParameters(10000, 800, 8));
    assertEquals(h, lstm.settings().embedding(), "tied softmax");

    // At the search preset's H = 200 and the published cell's 8 nodes: 2.81M parameters, an LSTM of width 235 (2.80M).
    RnnSpace small = lstm(RnnSpaceOptions.newBuilder().setNumNodes(8));
    assertEquals(235, small.settings().hidden());
    assertTrue(trainable(small.supernet()) <= published);
  }

  @Test
  void lstmHiddenSizeIsTheLstmsWidthAndHiddenSizeTheEnasCellItMatches() {
    assertEquals(64, lstm(RnnSpaceOptions.newBuilder().setLstmHiddenSize(64)).settings().hidden());
    // 8 nodes of H = 100 with 50 words: 50*100 + 200*200 + 8*100*200 + 50 = 205,050; LSTM 50h + 8h^2 + 4h + 50.
    assertEquals(156, lstm(RnnSpaceOptions.newBuilder().setHiddenSize(100).setNumNodes(8).setVocabSize(50))
        .settings().hidden());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> lstm(RnnSpaceOptions.newBuilder().setLstmHiddenSize(0)));
    assertTrue(e.getMessage().contains("lstm_hidden_size"), e.getMessage());
  }

  @Test
  void stateIsHAndCAndTheGraphHasNoChoices() {
    RnnSpace s = lstm(RnnSpaceOptions.newBuilder().setLstmHiddenSize(16).setVocabSize(50));
    Graph g = s.supernet();
    assertEquals(0, s.schema().points().size());
    assertTrue(g.nodes().stream().noneMatch(n -> n instanceof Node.LayerChoice || n instanceof Node.InputChoice));
    Op.Input state = g.nodes().stream().filter(n -> n instanceof Node.OpNode o && o.op() instanceof Op.Input in
        && in.name().equals("state")).map(n -> (Op.Input) ((Node.OpNode) n).op()).findFirst().orElseThrow();
    assertEquals(32, state.shape().dim(0));
    assertEquals(List.of("logits", "h"), g.outputs());
    assertEquals(32, g.shapes().get("h").dim(0));
    assertTrue(s.describe(s.parse("")).startsWith("LSTM language model: hidden 16"));
  }

  @Test
  void anyTokenIsRefusedWithWhyTheStringIsEmpty() {
    RnnSpace s = lstm(RnnSpaceOptions.newBuilder().setLstmHiddenSize(16));
    ArchitectureFormatException e = assertThrows(ArchitectureFormatException.class,
        () -> s.parse(RnnTestSpaces.ENAS_LM_PUBLISHED));
    assertTrue(e.getMessage().contains("architecture string is empty"), e.getMessage());
  }

  @Test
  void dropoutsSitWhereTheEnasCellHasThem() {
    Graph g = lstm(RnnSpaceOptions.newBuilder().setLstmHiddenSize(16).setVocabSize(50)).supernet();
    List<String> masks = g.nodes().stream().filter(n -> n instanceof Node.OpNode o && o.op() instanceof Op.Dropout)
        .map(n -> ((Op.Dropout) ((Node.OpNode) n).op()).mask()).toList();
    assertEquals(List.of("embedding", "input", "between", "output"), masks);
  }
}
