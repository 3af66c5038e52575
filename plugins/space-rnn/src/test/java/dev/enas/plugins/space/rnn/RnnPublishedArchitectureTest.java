package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.List;
import org.junit.jupiter.api.Test;

class RnnPublishedArchitectureTest {

  @Test
  void enasLmCellRoundTripsAndReadsAsTheReferenceDecodesIt() {
    RnnSpace space = RnnTestSpaces.fin();
    Architecture a = space.parse(RnnTestSpaces.ENAS_LM_PUBLISHED);
    assertEquals(RnnTestSpaces.ENAS_LM_PUBLISHED, space.format(a));
    String d = space.describe(a);
    for (String line : List.of("node 0 = tanh(x[t], h[t-1])", "node 1 = sigmoid(node 0)", "node 2 = tanh(node 1)",
        "node 3 = ReLU(node 2)", "node 4 = sigmoid(node 2)", "node 5 = tanh(node 4)", "node 6 = tanh(node 5)",
        "node 7 = sigmoid(node 3)", "node 8 = sigmoid(node 6)")) {
      assertTrue(d.contains("  " + line + "\n"), line + " in\n" + d);
    }
    assertTrue(d.contains("output h[t] = mean of all nodes after node 0: nodes 1, 2, 3, 4, 5, 6, 7, 8 (8)"), d);
  }

  @Test
  void enasLmFinalCellHasTheReferenceParameterCount() {
    RnnSpace space = RnnTestSpaces.fin();
    Graph child = space.child(space.parse(RnnTestSpaces.ENAS_LM_PUBLISHED));
    // W_prev is [E + H, 2H] = 1600 x 1600, and each of the 8 nodes has an [H, 2H] = 800 x 1600 matrix; with the
    // 10k x 800 embedding of the language model, which the softmax shares (plus its 10k biases), that is the
    // reference's 20.8M.
    long cell = 1600L * 1600 + 8L * 800 * 1600;
    long embedding = 10_000L * 800;
    assertEquals(cell + embedding + 10_000, child.parameterCount());
    assertEquals(20_800_000L, child.parameterCount(), 100_000);
    assertEquals(TensorShape.of(800), child.shapes().get("h"));
  }

  @Test
  void oldCellRoundTripsAndAveragesItsSixLooseEnds() {
    RnnSpace space = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF)
        .setPreset(Preset.FINAL).build());
    Architecture a = space.parse(RnnTestSpaces.OLD_PUBLISHED);
    assertEquals(RnnTestSpaces.OLD_PUBLISHED, space.format(a));
    String d = space.describe(a);
    for (String line : List.of("node 0 = tanh(x[t], h[t-1])", "node 1 = tanh(node 0)", "node 2 = ReLU(node 1)",
        "node 3 = ReLU(node 2)", "node 4 = tanh(node 2)", "node 5 = tanh(node 2)", "node 6 = ReLU(node 5)",
        "node 7 = tanh(node 1)", "node 8 = ReLU(node 6)", "node 9 = ReLU(node 8)", "node 10 = ReLU(node 8)",
        "node 11 = ReLU(node 8)")) {
      assertTrue(d.contains("  " + line + "\n"), line + " in\n" + d);
    }
    assertTrue(d.contains("loose ends: nodes 3, 4, 7, 9, 10, 11 (6)"), d);
    assertTrue(d.contains("output h[t] = mean of the loose ends: nodes 3, 4, 7, 9, 10, 11 (6)"), d);
    Node h = space.child(a).node("h");
    assertTrue(h instanceof Node.OpNode o && o.op() instanceof Op.Mean, h.toString());
    assertEquals(List.of("node3", "node4", "node7", "node9", "node10", "node11"), h.inputs());
    assertEquals(TensorShape.of(748), space.child(a).shapes().get("h"));
  }

  @Test
  void diagramDrawsTheCellAndItsAverage() {
    RnnSpace space = RnnTestSpaces.old();
    String dot = space.dot(space.parse(RnnTestSpaces.OLD_PUBLISHED));
    assertTrue(dot.contains("\"x\" -> \"n0\";"), dot);
    assertTrue(dot.contains("\"h_prev\" -> \"n0\";"), dot);
    assertTrue(dot.contains("\"n8\" -> \"n11\";"), dot);
    assertTrue(dot.contains("\"n11\" [label=\"11: ReLU\""), dot);
    assertEquals(6, dot.lines().filter(l -> l.contains("-> \"avg\"")).count(), dot);
    assertTrue(dot.contains("\"avg\" -> \"h\";"), dot);
  }
}
