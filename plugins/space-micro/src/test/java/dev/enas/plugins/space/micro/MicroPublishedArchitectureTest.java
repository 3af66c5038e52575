package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MicroPublishedArchitectureTest {
  private final MicroSpace space = MicroTestSpaces.fin();
  private final Architecture published = space.parse(MicroTestSpaces.PUBLISHED);

  @Test
  void publishedPairPrintsBackUnchanged() {
    assertEquals(MicroTestSpaces.PUBLISHED.replaceAll("\\s+", " "), space.format(published));
    assertEquals(published, space.parse(space.format(published)));
  }

  @Test
  void normalCellReadsAsTheReferenceDecodesIt() {
    String d = space.describe(published);
    assertTrue(d.contains("  node 2 = avg 3x3(node 0) + sep 3x3(node 0)\n"), d);
    assertTrue(d.contains("  node 3 = identity(node 0) + sep 5x5(node 0)\n"), d);
    assertTrue(d.contains("  node 4 = identity(node 0) + sep 5x5(node 1)\n"), d);
    assertTrue(d.contains("  node 5 = sep 3x3(node 1) + sep 5x5(node 0)\n"), d);
    assertTrue(d.contains("  node 6 = avg 3x3(node 0) + sep 5x5(node 1)\n"), d);
  }

  @Test
  void normalCellHasFiveLooseEndsAndReductionCellFour() {
    String[] halves = space.describe(published).split("reduction cell");
    assertTrue(halves[0].contains("loose ends: nodes 2, 3, 4, 5, 6 (5), concatenated: 5C channels"), halves[0]);
    assertTrue(halves[1].contains("loose ends: nodes 2, 4, 5, 6 (4), concatenated: 4C channels"), halves[1]);
  }

  @Test
  void finalNetworkOutputsFiveAndFourTimesCChannels() {
    Map<String, TensorShape> shapes = space.child(published).shapes();
    assertEquals(TensorShape.of(32, 32, 5 * 36), shapes.get("cell0/out"));
    // Cell 5 is the first reduction cell (N = 5): stride 2, 72 channels, four loose ends.
    assertEquals(TensorShape.of(16, 16, 4 * 72), shapes.get("cell5/out"));
    assertEquals(TensorShape.of(16, 16, 5 * 72), shapes.get("cell6/out"));
    assertEquals(TensorShape.of(8, 8, 4 * 144), shapes.get("cell11/out"));
    assertEquals(TensorShape.of(8, 8, 5 * 144), shapes.get("cell16/out"));
    assertEquals(TensorShape.of(10), shapes.get("head/fc"));
  }

  @Test
  void searchFormProjectsTheSameLooseEndsBackToC() {
    MicroSpace search = MicroTestSpaces.search();
    Graph child = search.child(search.parse(MicroTestSpaces.PUBLISHED));
    Node sum = child.node("cell2/out/sum");
    assertEquals(List.of("cell2/out/w2", "cell2/out/w4", "cell2/out/w5", "cell2/out/w6"), sum.inputs());
    assertEquals(TensorShape.of(16, 16, 40), child.shapes().get("cell2/out"));
  }

  @Test
  void stridedReductionCellReducesOnlyTheOpsThatReadItsInputs() {
    Graph child = space.child(published);
    Map<String, TensorShape> shapes = child.shapes();
    assertEquals(TensorShape.of(32, 32, 72), shapes.get("cell5/n1"));
    // Reduction block 2 is sep 5x5(node 1) + sep 5x5(node 3): the first halves node 1, the second keeps node 3's size.
    assertEquals(TensorShape.of(16, 16, 72), shapes.get("cell5/n3"));
    assertEquals(TensorShape.of(16, 16, 72), shapes.get("cell5/b2/x/from1"));
    assertEquals(TensorShape.of(16, 16, 72), shapes.get("cell5/b2/y/from3"));
    // Block 3's identity reads node 0, so at stride 2 it is a factorized reduction.
    Node reduce = child.node("cell5/b3/y/from0/reduce");
    assertTrue(reduce instanceof Node.OpNode o && o.op() instanceof Op.FactorizedReduce, reduce.toString());
  }

  @Test
  void diagramDrawsBothCellsAsClustersWithTheirLooseEnds() {
    String dot = space.dot(published);
    assertTrue(dot.contains("subgraph cluster_normal {"), dot);
    assertTrue(dot.contains("subgraph cluster_reduce {"), dot);
    assertEquals(5, dot.lines().filter(l -> l.matches("\\s+\"normal/n\\d\" -> \"normal/out\";")).count(), dot);
    assertEquals(4, dot.lines().filter(l -> l.matches("\\s+\"reduce/n\\d\" -> \"reduce/out\";")).count(), dot);
    assertTrue(dot.contains("\"normal/n0\" -> \"normal/b0/x\";"), dot);
    assertTrue(dot.contains("\"normal/b0/x\" [label=\"avg 3x3\""), dot);
    assertTrue(dot.contains("\"reduce/out\" [label=\"concat (4C)\""), dot);
    assertEquals(dot.chars().filter(ch -> ch == '{').count(), dot.chars().filter(ch -> ch == '}').count());
  }
}
