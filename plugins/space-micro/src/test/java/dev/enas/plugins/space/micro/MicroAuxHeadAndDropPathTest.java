package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MicroAuxHeadAndDropPathTest {
  private static final Pattern CELL = Pattern.compile("^cell(\\d+)/");

  private static Op op(Graph g, String id) {
    return ((Node.OpNode) g.node(id)).op();
  }

  private static List<Node.OpNode> dropPaths(Graph g) {
    List<Node.OpNode> out = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n instanceof Node.OpNode o && o.op() instanceof Op.DropPath) {
        out.add(o);
      }
    }
    return out;
  }

  @Test
  void finalPresetHasTheAuxHeadAndDropPathAndSearchHasNeither() {
    MicroSettings fin = MicroTestSpaces.fin().settings();
    assertTrue(fin.auxHead());
    assertEquals(0.6, fin.dropPathKeepProb());
    MicroSettings search = MicroTestSpaces.search().settings();
    assertFalse(search.auxHead());
    assertEquals(1.0, search.dropPathKeepProb());
    Graph child = MicroTestSpaces.search().child(MicroTestSpaces.search().parse(MicroTestSpaces.PUBLISHED));
    assertEquals(List.of("head/fc"), child.outputs());
    assertTrue(dropPaths(child).isEmpty(), "keep prob 1 adds no drop-path");
    MicroSettings overridden = MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setPreset(Preset.FINAL)
        .setAuxHead(false).setDropPathKeepProb(1.0).build()).settings();
    assertFalse(overridden.auxHead());
    assertEquals(1.0, overridden.dropPathKeepProb());
  }

  @Test
  void publishedFinalChildHasTheReferenceAuxHeadAfterTheSecondReduction() {
    MicroSpace space = MicroTestSpaces.fin();
    Graph child = space.child(space.parse(MicroTestSpaces.PUBLISHED));
    assertEquals(List.of("head/fc", "aux/logits"), child.outputs());
    assertEquals(new Op.AuxLogits(0.4), op(child, "aux/logits"));
    // N = 5: reductions are cells 5 and 11, so the head reads cell 12, an 8x8 map of 5 x 144 channels.
    assertEquals(List.of("cell12/out"), child.node("aux/relu").inputs());
    Map<String, TensorShape> shapes = child.shapes();
    assertEquals(TensorShape.of(8, 8, 5 * 144), shapes.get("cell12/out"));
    assertEquals(TensorShape.of(2, 2, 5 * 144), shapes.get("aux/pool"));
    assertEquals(new Op.Pool(Op.Pool.Kind.AVG, 5, 3, Op.Padding.VALID), op(child, "aux/pool"));
    assertEquals(TensorShape.of(2, 2, 128), shapes.get("aux/relu1"));
    assertEquals(TensorShape.of(1, 1, 768), shapes.get("aux/conv2"), "the second conv covers the whole 2x2 map");
    assertEquals(TensorShape.of(10), shapes.get("aux/logits"));
    // conv1 720x128, bn1 2x128, conv2 2x2x128x768, bn2 2x768, fc 768x10: all trainable.
    long auxWeights = child.params().stream().filter(p -> p.key().value().startsWith("aux/") && p.trainable())
        .mapToLong(p -> p.shape().size()).sum();
    assertEquals(720 * 128 + 256 + 2 * 2 * 128 * 768 + 1536 + 7680, auxWeights);
    assertEquals(494_848, auxWeights);
  }

  @Test
  void dropPathFollowsEveryNonIdentityOpWithTheReferenceRate() {
    MicroSpace space = MicroTestSpaces.fin();
    Graph child = space.child(space.parse(MicroTestSpaces.PUBLISHED));
    Map<Integer, Integer> perCell = new HashMap<>();
    for (Node.OpNode n : dropPaths(child)) {
      Matcher m = CELL.matcher(n.id());
      assertTrue(m.find(), n.id());
      int k = Integer.parseInt(m.group(1));
      // keep prob 1 - ((k+1)/(L+2))(1-p) at full progress, L = 15 normal cells, p = 0.6.
      assertEquals((k + 1) / 17.0 * 0.4, ((Op.DropPath) n.op()).maxDropRate(), 1e-12, n.id());
      Op before = op(child, n.inputs().get(0));
      assertTrue(before instanceof Op.BatchNorm || before instanceof Op.Pool, n.id() + " follows " + before);
      perCell.merge(k, 1, Integer::sum);
    }
    // The published normal cell has 8 non-identity ops of 10, its reduction cell 9.
    for (int k = 0; k < 17; k++) {
      int want = space.settings().isReduction(k) ? 9 : 8;
      assertEquals(want, perCell.getOrDefault(k, 0), "drop-path nodes in cell " + k);
    }
    assertEquals(0.4, ((Op.DropPath) op(child, "cell16/b0/x/drop_path")).maxDropRate(), 1e-12,
        "the last cell drops at (1 - p)");
  }

  @Test
  void auxOutputExistsOnlyWhenEnabledInEitherForm() {
    for (CellForm form : List.of(CellForm.SEARCH_FORM, CellForm.FIXED_FORM)) {
      for (boolean aux : new boolean[] {false, true}) {
        MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder().setForm(form).setAuxHead(aux)
            .setDropPathKeepProb(0.6));
        Random rng = new Random(3);
        for (int n = 0; n < 20; n++) {
          Graph child = space.child(RandomArchitectures.sample(space.schema(), rng));
          Map<String, TensorShape> shapes = child.shapes();
          assertEquals(aux ? List.of("head/fc", "aux/logits") : List.of("head/fc"), child.outputs(), form + "");
          assertEquals(TensorShape.of(10), shapes.get("head/fc"));
          if (aux) {
            assertEquals(TensorShape.of(10), shapes.get("aux/logits"));
            assertEquals(TensorShape.of(1, 1, 768), shapes.get("aux/conv2"));
          }
          child.params();
        }
      }
    }
  }

  @Test
  void auxHeadFitsSmallImages() {
    // Fashion-MNIST: 28 -> 14 -> 7 after the reductions, pooled to 1x1. An 8x8 image leaves a 2x2 map: the pool
    // shrinks to it.
    for (int size : new int[] {28, 8}) {
      MicroSpace space = MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setPreset(Preset.FINAL)
          .setImageHeight(size).setImageWidth(size).setImageChannels(1).setNumCells(1).setChannels(4).build());
      Graph child = space.child(RandomArchitectures.sample(space.schema(), new Random(1)));
      Map<String, TensorShape> shapes = child.shapes();
      assertEquals(TensorShape.of(1, 1, 768), shapes.get("aux/conv2"), size + "x" + size);
      assertEquals(TensorShape.of(10), shapes.get("aux/logits"));
    }
  }

  @Test
  void descriptionNamesTheAuxHeadAndDropPathWhenOn() {
    MicroSpace fin = MicroTestSpaces.fin();
    String d = fin.describe(fin.parse(MicroTestSpaces.PUBLISHED));
    assertTrue(d.contains("auxiliary head on cell 12 (the first after the second reduction)"), d);
    assertTrue(d.contains("drop-path after every non-identity op: keep prob 0.6, drop rate in cell k = (k+1)/17 x 0.40"),
        d);
    MicroSpace search = MicroTestSpaces.search();
    String s = search.describe(search.parse(MicroTestSpaces.PUBLISHED));
    assertFalse(s.contains("auxiliary"), s);
    assertFalse(s.contains("drop-path"), s);
  }

  @Test
  void aKeepProbabilityOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {0, -0.5, 1.5}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setDropPathKeepProb(bad).build()));
      assertTrue(e.getMessage().contains("drop_path_keep_prob must be in (0, 1]"), e.getMessage());
    }
  }
}
