package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.ParamKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Weight decay reaches a language model's cell weights only, as enas_lm's: not the embedding, not the softmax bias. */
class WeightDecayTest {

  private static TensorFlowBackendOptions decay(double lambda) {
    return TensorFlowBackendOptions.newBuilder().setWeightDecay(lambda).setMomentum(0).build();
  }

  /** The tensors after one step of the same seed and batch, with weight decay lambda. */
  private static float[][] afterOneStep(double lambda, Graph g, Batch batch, ParamKey... keys) {
    try (TensorFlowBackend b = backend(decay(lambda), 1)) {
      b.train(g, batch, 0.5);
      return Arrays.stream(keys).map(key -> b.weights().copyOf(key)).toArray(float[][]::new);
    }
  }

  @Test
  void theCellIsDecayedTheEmbeddingAndSoftmaxBiasAreNot() {
    Graph g = OpCoverageTest.cell(7, 8);
    Batch.Tokens batch = OpCoverageTest.counting(7, 4, 7);
    ParamKey[] keys = {k("emb"), k("softmax/b"), k("w1")};
    float[][] plain = afterOneStep(0, g, batch, keys);
    float[][] decayed = afterOneStep(0.5, g, batch, keys);
    assertArrayEquals(plain[0], decayed[0], 0f, "the embedding table is not decayed");
    assertArrayEquals(plain[1], decayed[1], 0f, "the softmax bias is not decayed");
    assertFalse(Arrays.equals(plain[2], decayed[2]), "the cell's weights are decayed");
  }
}
