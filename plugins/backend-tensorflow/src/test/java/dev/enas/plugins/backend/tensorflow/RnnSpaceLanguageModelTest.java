package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Children of the shipped recurrent space train as language models on this backend. */
class RnnSpaceLanguageModelTest {

  @Test
  void sampledRecurrentCellsLearnACountingSequence() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(4).setHiddenSize(16)
        .setVocabSize(11).build());
    Batch.Tokens batch = OpCoverageTest.counting(11, 6, 11);
    SplittableRandom rng = new SplittableRandom(5);
    try (TensorFlowBackend b = TestNets.backend(TensorFlowBackendOptions.getDefaultInstance(), 3)) {
      for (int c = 0; c < 3; c++) {
        Graph child = rnn.child(rnn.schema().uniform(rng));
        long t0 = System.nanoTime();
        TrainResult first = b.train(child, batch, 0.3);
        TrainResult last = first;
        for (int i = 0; i < 80; i++) {
          last = b.train(child, batch, 0.3);
        }
        System.out.printf("child %d: loss %.3f -> %.3f, %.1f ms/step%n", c, first.loss(), last.loss(),
            (System.nanoTime() - t0) / 1e6 / 81);
        assertTrue(last.loss() < first.loss() / 2, "loss from " + first.loss() + " to " + last.loss());
        assertEquals(1.0, b.evaluate(child, batch).accuracy(), "a counting sequence is easy to learn");
      }
      assertTrue(b.cache().misses() > 0, "token models are compiled on their own");
    }
  }
}
