package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MicroPropertyTest {

  private static void check(MicroSpace space, int cases, long seed, TensorShape logits) {
    Random rng = new Random(seed);
    MicroSettings s = space.settings();
    int cellChecks = 0;
    for (int n = 0; n < cases; n++) {
      Architecture a = RandomArchitectures.sample(space.schema(), rng);
      assertEquals(a, space.parse(space.format(a)), "round trip of " + a);
      Graph child = space.child(a);
      assertFalse(child.hasChoices());
      Map<String, TensorShape> shapes = child.shapes();
      assertEquals(logits, shapes.get(child.outputs().get(0)), "output of " + a);
      // The first cell's output follows the normal cell's loose ends. (When only blocks can be loose ends,
      // a cell whose output no later cell reads is pruned from the child.)
      if (shapes.containsKey("cell0/out")) {
        List<Integer> loose = space.cells(a).get(0).looseEnds(s.firstLooseEnd());
        int width = s.fixedForm() ? loose.size() * s.channels() : s.channels();
        assertEquals(width, shapes.get("cell0/out").channels(), "cell 0 of " + a);
        assertEquals(s.fixedForm() ? loose.size() : 1, child.node("cell0/out").inputs().size(), "cell 0 of " + a);
        cellChecks++;
      }
    }
    assertTrue(cellChecks > cases / 2, "cell 0 was checked in " + cellChecks + " of " + cases + " cases");
  }

  @Test
  void randomSearchArchitecturesRoundTripAndBuildValidChildren() {
    check(MicroTestSpaces.search(), 200, 1, TensorShape.of(10));
  }

  @Test
  void randomFinalArchitecturesBuildValidChildren() {
    check(MicroTestSpaces.fin(), 30, 2, TensorShape.of(10));
  }

  @Test
  void fashionMnistImagesWorkInBothForms() {
    for (CellForm form : List.of(CellForm.SEARCH_FORM, CellForm.FIXED_FORM)) {
      MicroSpace space = MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setImageHeight(28).setImageWidth(28)
          .setImageChannels(1).setNumClasses(7).setNumCells(1).setChannels(8).setForm(form).build());
      check(space, 100, 3, TensorShape.of(7));
    }
  }

  @Test
  void optionsVariantsStayValid() {
    check(MicroTestSpaces.small(3, MicroSpaceOptions.newBuilder().setWeightSharing(WeightSharing.PER_SLOT)
        .setOnlyBlocksAreLooseEnds(true)), 100, 4, TensorShape.of(10));
    check(MicroTestSpaces.small(1, MicroSpaceOptions.newBuilder().setForm(CellForm.FIXED_FORM)
        .setOnlyBlocksAreLooseEnds(true)), 50, 5, TensorShape.of(10));
  }

  @Test
  void unusedCellInputsAreLooseEndsUnlessOnlyBlocksCount() {
    String arch = "1 0 1 0  2 0 2 0  1 0 1 0  2 0 2 0";
    MicroSpace withInputs = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder().setForm(CellForm.FIXED_FORM));
    MicroSpace blocksOnly = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder().setForm(CellForm.FIXED_FORM)
        .setOnlyBlocksAreLooseEnds(true));
    // Node 0 is never read: with inputs it joins nodes 3's concat (8 channels), without it node 3 alone (4).
    assertEquals(8, withInputs.child(withInputs.parse(arch)).shapes().get("cell0/out").channels());
    assertEquals(4, blocksOnly.child(blocksOnly.parse(arch)).shapes().get("cell0/out").channels());
    assertEquals(List.of(0, 3), withInputs.cells(withInputs.parse(arch)).get(0).looseEnds(0));
  }
}
