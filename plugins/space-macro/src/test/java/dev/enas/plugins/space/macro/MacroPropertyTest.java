package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MacroPropertyTest {

  private static void check(MacroSpace space, int cases, long seed, TensorShape logits) {
    Random rng = new Random(seed);
    for (int n = 0; n < cases; n++) {
      Architecture a = RandomArchitectures.sample(space.schema(), rng);
      assertEquals(a, space.parse(space.format(a)), "round trip of " + a);
      Graph child = space.child(a);
      assertEquals(false, child.hasChoices());
      assertEquals(logits, child.shapes().get(child.outputs().get(0)), "output of " + a);
      assertEquals(child.shapes().keySet(), space.supernet().resolve(a.byKey()).shapes().keySet());
    }
  }

  @Test
  void randomSearchArchitecturesRoundTripAndBuildValidChildren() {
    check(MacroTestSpaces.search(), 200, 1, TensorShape.of(10));
  }

  @Test
  void randomFinalArchitecturesBuildValidChildren() {
    check(MacroTestSpaces.fin(), 40, 2, TensorShape.of(10));
  }

  @Test
  void fashionMnistImagesAndOtherClassCountsWork() {
    MacroSpace space = MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setImageHeight(28).setImageWidth(28)
        .setImageChannels(1).setNumClasses(7).setSkipCombine(SkipCombine.CONCAT).build());
    check(space, 100, 3, TensorShape.of(7));
  }

  @Test
  void fewerLayersThanThreeHaveNoReduction() {
    MacroSpace space = MacroTestSpaces.layers(2);
    assertEquals(java.util.List.of(), space.settings().reductionLayers());
    check(space, 50, 4, TensorShape.of(10));
  }
}
