package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The search forms of enas-micro and enas-macro run on one supernet graph with the results of per-child graphs. */
class ShippedSpacesOnOneGraphTest {

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

  private static void assertSameLosses(SearchSpace space, int children) {
    SplittableRandom rng = new SplittableRandom(3);
    try (TensorFlowBackend whole = backend(Execution.SUPERNET); TensorFlowBackend alone = backend(Execution.PER_CHILD)) {
      for (int i = 0; i < children; i++) {
        dev.enas.api.schema.Architecture arch = sample(space.schema(), rng);
        Graph child = space.child(arch);
        Batch.Images batch = batch(child);
        assertEquals(alone.train(child, batch, 0.05).loss(), whole.train(child, batch, 0.05).loss(), 1e-4,
            space.format(arch));
        assertEquals(alone.evaluate(child, batch).loss(), whole.evaluate(child, batch).loss(), 1e-4);
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
