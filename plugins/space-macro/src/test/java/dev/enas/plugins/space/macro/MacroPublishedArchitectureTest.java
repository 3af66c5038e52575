package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MacroPublishedArchitectureTest {
  private final MacroSpace space = MacroTestSpaces.fin();
  private final Architecture published = space.parse(MacroTestSpaces.PUBLISHED_24_LAYERS);

  @Test
  void publishedStringPrintsBackUnchanged() {
    assertEquals(MacroTestSpaces.PUBLISHED_24_LAYERS, space.format(published));
    assertEquals(published, space.parse(space.format(published)));
  }

  @Test
  void descriptionListsTheReferenceOpsLayerByLayer() {
    String[] ids = "0 3 0 2 2 3 2 2 1 0 2 0 2 1 0 2 2 2 3 3 0 3 0 0".split(" ");
    String[] lines = space.describe(published).split("\n");
    int layer = 0;
    for (String line : lines) {
      if (line.startsWith("layer")) {
        String expected = MacroOp.byId(Integer.parseInt(ids[layer])).label;
        assertTrue(line.contains(": " + expected), "layer " + layer + " should be " + expected + ": " + line);
        layer++;
      }
    }
    assertEquals(24, layer);
  }

  @Test
  void descriptionSaysOnlyConvolutionsAppearAndCountsTheSkips() {
    String d = space.describe(published);
    assertTrue(d.contains("ops: 8 conv 3x3, 2 sep 3x3, 9 conv 5x5, 5 sep 5x5;"), d);
    assertFalse(d.contains("pool 3x3"), d);
    int ones = 0;
    for (String t : MacroTestSpaces.PUBLISHED_24_LAYERS.split(" ")) {
      ones += t.equals("1") ? 1 : 0;
    }
    // Every "1" is a skip bit except layer 8's op id, sep 3x3, and layer 13's.
    assertTrue(d.contains("skip connections: " + (ones - 2) + " of 276"), d);
  }

  @Test
  void descriptionNamesTheSkipSourcesOfEachLayer() {
    String d = space.describe(published);
    // Row "2 0 0 1": layer 3 is a conv 5x5 with a skip from layer 1 (bits: stem, layer 0, layer 1).
    assertTrue(d.contains("layer  3: conv 5x5     <- layer 2; skips from layer 1\n"), d);
    // Row "3 1 1 0 1 0": layer 5 reads layer 4 and skips from the stem, layer 0 and layer 2.
    assertTrue(d.contains("layer  5: sep 5x5      <- layer 4; skips from stem, layer 0, layer 2\n"), d);
  }

  @Test
  void finalNetworkReducesAfterLayersSevenAndFifteenAndDoublesChannels() {
    assertEquals(java.util.List.of(7, 15), space.settings().reductionLayers());
    Map<String, TensorShape> shapes = space.child(published).shapes();
    assertEquals(TensorShape.of(32, 32, 96), shapes.get("layer7"));
    assertEquals(TensorShape.of(16, 16, 192), shapes.get("layer8"));
    assertEquals(TensorShape.of(8, 8, 384), shapes.get("layer23"));
    assertEquals(TensorShape.of(10), shapes.get("head/fc"));
  }

  @Test
  void concatenatedSkipsProjectEverySelectedInput() {
    Graph child = space.child(published);
    // Layer 5 selects three skips: it sums four 1x1 projections (op output and three skips), then batch-normalises.
    Node skip = child.node("layer5/skip");
    assertTrue(skip instanceof Node.OpNode o && o.op() instanceof Op.Add && o.inputs().size() == 4, skip.toString());
  }

  @Test
  void diagramDrawsTheChainTheSkipsAndTheReductions() {
    String dot = space.dot(published);
    assertTrue(dot.startsWith("digraph"), dot);
    assertTrue(dot.contains("\"layer4\" -> \"layer5\";"), dot);
    assertTrue(dot.contains("\"stem\" -> \"layer5\" [style=dashed"), dot);
    assertTrue(dot.contains("\"layer2\" -> \"layer5\" [style=dashed"), dot);
    assertEquals(2, dot.split("factorized reduce", -1).length - 1, dot);
    long dashed = dot.lines().filter(l -> l.contains("style=dashed")).count();
    assertEquals(MacroArchitecture.of(published).skipCount(), dashed);
  }
}
