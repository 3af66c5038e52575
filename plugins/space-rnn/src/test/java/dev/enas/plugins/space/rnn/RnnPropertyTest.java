package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RnnPropertyTest {

  private static void check(RnnSpace space, int cases, long seed) {
    Random rng = new Random(seed);
    RnnSettings s = space.settings();
    for (int n = 0; n < cases; n++) {
      Architecture a = RandomArchitectures.sample(space.schema(), rng);
      assertEquals(a, space.parse(space.format(a)), "round trip of " + a);
      Graph child = space.child(a);
      assertFalse(child.hasChoices());
      assertEquals(TensorShape.of(s.hidden()), child.shapes().get("h"), "state of " + a);
      int averaged = RecurrentCell.of(a, s).averaged(s.looseEndOutput()).size();
      assertEquals(averaged, child.node("h").inputs().size(), "output of " + a);
    }
  }

  @Test
  void randomEnasLmCellsRoundTripAndBuildValidChildren() {
    check(RnnTestSpaces.small(9, RnnSpaceOptions.newBuilder().setEmbeddingSize(5)), 300, 1);
  }

  @Test
  void randomOldFormatCellsRoundTripAndBuildValidChildren() {
    check(RnnTestSpaces.small(12, RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF)), 300, 2);
  }

  @Test
  void everyOutputAndSharingOptionStaysValid() {
    check(RnnTestSpaces.small(5, RnnSpaceOptions.newBuilder().setOutput(CellOutput.LOOSE_ENDS)
        .setWeightSharing(WeightSharing.PER_SLOT)), 100, 3);
    check(RnnTestSpaces.small(5, RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF)
        .setOutput(CellOutput.ALL_NODES).setActivationOrder(ActivationOrder.TANH_RELU_SIGMOID_IDENTITY)), 100, 4);
    check(RnnTestSpaces.small(1, RnnSpaceOptions.newBuilder()), 10, 5);
  }

  @Test
  void defaultSizedCellsBuildValidChildren() {
    check(RnnTestSpaces.search(), 50, 6);
    check(RnnTestSpaces.fin(), 20, 7);
  }
}
