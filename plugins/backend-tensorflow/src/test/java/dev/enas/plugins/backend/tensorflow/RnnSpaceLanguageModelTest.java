package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import dev.enas.plugins.space.rnn.ArchFormat;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Children of the shipped recurrent space train as language models on this backend, by default on one graph of the
 * whole (unrolled) supernet, with the results of per-child graphs.
 */
class RnnSpaceLanguageModelTest {

  @Test
  void sampledRecurrentCellsLearnACountingSequence() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(4).setHiddenSize(16)
        .setVocabSize(11).build());
    Batch.Tokens batch = OpCoverageTest.counting(11, 6, 11);
    SplittableRandom rng = new SplittableRandom(5);
    // enas_lm's child optimiser: plain SGD at a high rate, gradients clipped to norm 0.25.
    TensorFlowBackendOptions lm = TensorFlowBackendOptions.newBuilder().setMomentum(0).setClipBound(0.25).build();
    try (TensorFlowBackend b = TestNets.backend(lm, 3)) {
      for (int c = 0; c < 3; c++) {
        Graph child = rnn.child(rnn.schema().uniform(rng));
        long t0 = System.nanoTime();
        TrainResult first = b.train(child, batch, 20);
        TrainResult last = first;
        for (int i = 0; i < 80; i++) {
          last = b.train(child, batch, 20);
        }
        System.out.printf("child %d: loss %.3f -> %.3f, %.1f ms/step%n", c, first.loss(), last.loss(),
            (System.nanoTime() - t0) / 1e6 / 81);
        assertTrue(last.loss() < first.loss() / 2, "loss from " + first.loss() + " to " + last.loss());
        assertEquals(1.0, b.evaluate(child, batch).accuracy(), "a counting sequence is easy to learn");
      }
      assertEquals(0, b.cache().misses(), "children of the supernet run on its graph");
    }
  }

  @Test
  void onOneSupernetGraphTheyTrainAndEvaluateAsOnTheirOwnGraphs() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(4).setHiddenSize(8)
        .setVocabSize(11).build());
    Batch.Tokens batch = OpCoverageTest.counting(5, 4, 11);
    SplittableRandom rng = new SplittableRandom(9);
    try (TensorFlowBackend whole = backend(Execution.SUPERNET); TensorFlowBackend alone = backend(Execution.PER_CHILD)) {
      for (int c = 0; c < 4; c++) {
        Graph child = rnn.child(rnn.schema().uniform(rng));
        for (int i = 0; i < 2; i++) {
          assertEquals(alone.train(child, batch, 0.3).loss(), whole.train(child, batch, 0.3).loss(), 1e-4);
        }
        assertEquals(alone.evaluate(child, batch).loss(), whole.evaluate(child, batch).loss(), 1e-4);
      }
      assertEquals(0, whole.cache().misses());
      for (var e : alone.weights().entries().entrySet()) {
        float[] want = e.getValue().values;
        float[] got = whole.weights().copyOf(e.getKey());
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-4, e.getKey() + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void oldFormatCellsAveragingTheirLooseEndsRunOnTheirOwnGraphs() {
    SearchSpace old = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF)
        .setNumNodes(4).setHiddenSize(8).setVocabSize(11).build());
    Graph child = old.child(old.schema().uniform(new SplittableRandom(2)));
    Batch.Tokens batch = OpCoverageTest.counting(5, 4, 11);
    try (TensorFlowBackend auto = backend(Execution.AUTO); TensorFlowBackend whole = backend(Execution.SUPERNET)) {
      assertTrue(Double.isFinite(auto.train(child, batch, 0.3).loss()));
      assertEquals(1, auto.cache().misses(), "compiled on its own");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> whole.train(child, batch, 0.3));
      assertTrue(e.getMessage().contains("cannot run as one graph") && e.getMessage().contains("MEAN"), e.getMessage());
    }
  }

  private static TensorFlowBackend backend(Execution execution) {
    return TestNets.backend(TensorFlowBackendOptions.newBuilder().setExecution(execution).build(), 3);
  }
}
