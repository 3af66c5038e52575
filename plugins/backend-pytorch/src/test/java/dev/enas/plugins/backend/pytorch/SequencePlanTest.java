package dev.enas.plugins.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import dev.enas.support.backend.SequencePlan;
import dev.enas.support.weights.SharedWeights;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A language model run with its embedding and softmax layer hoisted out of the time loop ({@link SequencePlan})
 * computes the same logits as the cell unrolled whole, for sampled cells of the recurrent space.
 */
class SequencePlanTest {

  @Test
  void hoistedAndUnrolledLanguageModelsGiveTheSameLogits() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(5).setHiddenSize(12)
        .setVocabSize(17).build());
    SplittableRandom rng = new SplittableRandom(4);
    int n = 3;
    int steps = 6;
    int[] tokens = rng.ints(n * steps, 0, 17).toArray();
    Batch.Tokens batch = new Batch.Tokens(n, steps, tokens, tokens);
    try (PyTorchBackend b = TestNets.backend(1);
        NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
      for (int c = 0; c < 3; c++) {
        Graph child = rnn.child(rnn.schema().uniform(rng));
        SequencePlan plan = SequencePlan.of(child).orElseThrow();
        assertEquals(java.util.Set.of("h/penalty", "h/drop", "logits"), plan.suffix(),
            "the search preset's slowness penalty, the output dropout and the softmax layer run once over all steps");
        assertEquals("h/penalty", plan.penalised());
        assertTrue(plan.prefix().contains("x"), "the embedding runs once over all tokens: " + plan.prefix());
        SharedWeights weights = new SharedWeights(9);
        for (ParamSpec p : child.params()) {
          weights.entry(p);
        }
        NDArray state = m.zeros(new Shape(n, 12));
        // Evaluation, then training: the hoisted parts repeat each sequence's variational masks over its steps as
        // the unrolled cell reuses them step by step (fresh runs with one seed draw the same masks).
        for (boolean training : new boolean[] {false, true}) {
          SequencePlan.Outcome<NDArray> hoistedRun = new EagerChild(m, weights, child, training, false, 1e-5, 7, 0)
              .overSequence(child, plan, batch, state);
          SequencePlan.Outcome<NDArray> unrolledRun = new EagerChild(m, weights, child, training, false, 1e-5, 7, 0)
              .unrolled(child, batch, state);
          float[] hoisted = hoistedRun.logits().toFloatArray();
          float[] unrolled = unrolledRun.logits().toFloatArray();
          assertEquals(n * steps * 17, hoisted.length);
          // The penalised cell outputs, step-major [steps * n, 12], agree as well.
          float[] actHoisted = hoistedRun.activations().toFloatArray();
          float[] actUnrolled = unrolledRun.activations().toFloatArray();
          assertEquals(n * steps * 12, actHoisted.length);
          org.junit.jupiter.api.Assertions.assertArrayEquals(actUnrolled, actHoisted, 1e-5f);
          for (int i = 0; i < hoisted.length; i++) {
            assertEquals(unrolled[i], hoisted[i], 1e-5 * (1 + Math.abs(unrolled[i])), "logit " + i + " of child " + c
                + (training ? " in training" : ""));
          }
        }
      }
    }
  }
}
