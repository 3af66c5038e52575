package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import dev.enas.plugins.space.macro.MacroSpaceOptions;
import dev.enas.plugins.space.macro.MacroSpaceProvider;
import dev.enas.plugins.space.micro.MicroSpaceOptions;
import dev.enas.plugins.space.micro.MicroSpaceProvider;
import dev.enas.plugins.space.micro.WeightSharing;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The search forms of enas-micro, enas-macro and enas-rnn run on one supernet graph with the results of per-child graphs. */
class ShippedSpacesOnOneGraphTest {
  /** Agreement of the two graphs after an update of the shared weights (see assertSameLosses). */
  private static final double SECOND_STEP_MARGIN = 2e-3;

  @Test
  void microChildrenMatchTheirOwnGraphs() {
    SearchSpace micro = new MicroSpaceProvider().create(MicroSpaceOptions.newBuilder().setNumBlocks(3).setNumCells(1)
        .setChannels(4).setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(4).build());
    assertSameLosses(micro, 4);
  }

  @Test
  void macroChildrenMatchTheirOwnGraphs() {
    SearchSpace macro = new MacroSpaceProvider().create(MacroSpaceOptions.newBuilder().setNumLayers(4).setChannels(4)
        .setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(4).build());
    assertSameLosses(macro, 4);
  }

  @Test
  void microChildrenWithPerSlotWeightsMatchTheirOwnGraphs() {
    SearchSpace micro = new MicroSpaceProvider().create(MicroSpaceOptions.newBuilder().setNumBlocks(2).setNumCells(1)
        .setChannels(4).setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(4)
        .setWeightSharing(WeightSharing.PER_SLOT).build());
    assertSameLosses(micro, 3);
  }

  /**
   * The language model: both graphs run the cell with its embedding and softmax hoisted out of the time loop, and the
   * supernet graph keeps its fed weights between runs, rewriting only what a step changed. Several steps of several
   * children, with evaluations between, catch a stale slice (a later loss would differ).
   */
  @Test
  void recurrentChildrenMatchTheirOwnGraphsStepAfterStep() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(4).setHiddenSize(8)
        .setVocabSize(11).build());
    Batch.Tokens batch = OpCoverageTest.counting(6, 5, 11);
    SplittableRandom rng = new SplittableRandom(7);
    try (TensorFlowBackend whole = backend(Execution.SUPERNET); TensorFlowBackend alone = backend(Execution.PER_CHILD)) {
      for (int i = 0; i < 4; i++) {
        Graph child = rnn.child(sample(rnn.schema(), rng));
        for (int step = 0; step < 3; step++) {
          assertEquals(alone.train(child, batch, 1.0).loss(), whole.train(child, batch, 1.0).loss(), 1e-4,
              "child " + i + " step " + step);
        }
        assertEquals(alone.evaluate(child, batch).loss(), whole.evaluate(child, batch).loss(), 1e-4);
      }
      assertEquals(0, whole.cache().misses(), "children compiled on their own");
    }
  }

  private static void assertSameLosses(SearchSpace space, int children) {
    SplittableRandom rng = new SplittableRandom(3);
    try (TensorFlowBackend whole = backend(Execution.SUPERNET); TensorFlowBackend alone = backend(Execution.PER_CHILD)) {
      for (int i = 0; i < children; i++) {
        dev.enas.api.schema.Architecture arch = sample(space.schema(), rng);
        Graph child = space.child(arch);
        Batch.Images batch = batch(child);
        // Two steps: the second reads what the first wrote in place (the supernet graph's kept feed). The first step's
        // update moves the loss far more than the second step's margin, so a stale slice cannot pass unseen; the margin
        // covers the two graphs' kernels summing in another order on CPUs without AVX-512 (7e-4 seen, batch-norm on 8
        // examples amplifies a last-bit difference in the first update).
        double first = alone.train(child, batch, 0.05).loss();
        assertEquals(first, whole.train(child, batch, 0.05).loss(), 1e-4, space.format(arch));
        double second = alone.train(child, batch, 0.05).loss();
        assertEquals(second, whole.train(child, batch, 0.05).loss(), SECOND_STEP_MARGIN, space.format(arch));
        System.out.printf("%s: loss %.5f then %.5f%n", space.format(arch), first, second);
        assertTrue(Math.abs(second - first) > 5 * SECOND_STEP_MARGIN, "the first step moved the loss by "
            + Math.abs(second - first) + ": too little for this check to tell a stale weight from a kernel's rounding");
        assertEquals(alone.evaluate(child, batch).loss(), whole.evaluate(child, batch).loss(), SECOND_STEP_MARGIN);
      }
      assertEquals(0, whole.cache().misses(), "children compiled on their own");
    }
  }

  private static Batch.Images batch(Graph child) {
    return TestNets.random(8, ((Op.Input) child.inputNodes().get(0).op()).shape(), 4, 9);
  }

  private static TensorFlowBackend backend(Execution execution) {
    return TestNets.backend(TensorFlowBackendOptions.newBuilder().setExecution(execution).build(), 13);
  }

  private static dev.enas.api.schema.Architecture sample(DecisionSchema schema, SplittableRandom rng) {
    return schema.uniform(rng);
  }
}
