package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drop-path follows the training schedule and acts per example; an auxiliary head adds its weighted loss. */
class DropPathAndAuxHeadTest {
  private static final TensorShape SMALL = TensorShape.of(8, 8, 1);
  private static final TensorFlowBackendOptions NO_DECAY = TensorFlowBackendOptions.newBuilder().setWeightDecay(0)
      .build();

  /** images -> conv -> [middle] -> gap -> dense: no batch norm and no dropout, so training and evaluation agree. */
  private static Graph net(Op middle) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SMALL);
    x = g.chain("body", x, Op.Conv2d.of(3, 4, k("w")), new Op.Act(Activation.RELU), middle, new Op.GlobalAvgPool(),
        new Op.Dense(3, false, k("fc")));
    return g.output(x).build();
  }

  /** Runs one drop-path op alone, in training mode, over {@code n} examples of ones; returns each example's values. */
  private static float[][] dropPathOnOnes(double maxDropRate, int n, long[] seed, double progress) {
    TensorShape shape = TensorShape.of(2, 2, 3);
    GraphBuilder g = new GraphBuilder();
    Graph graph = g.output(g.op("drop", new Op.DropPath(maxDropRate), g.input("in", "images", shape))).build();
    float[] ones = new float[Math.toIntExact(n * shape.size())];
    Arrays.fill(ones, 1f);
    float[] y = Forward.runTraining(graph, n, ones, Map.of(), seed, progress);
    float[][] perExample = new float[n][];
    for (int i = 0; i < n; i++) {
      perExample[i] = Arrays.copyOfRange(y, (int) (i * shape.size()), (int) ((i + 1) * shape.size()));
    }
    return perExample;
  }

  @Test
  void dropPathZeroesWholeExamplesAtMaxRateTimesProgressAndScalesTheRest() {
    int n = 4000;
    for (double progress : new double[] {1.0, 0.5}) {
      double rate = 0.4 * progress;
      float[][] y = dropPathOnOnes(0.4, n, new long[] {7, 3}, progress);
      int dropped = 0;
      for (float[] example : y) {
        float first = example[0];
        for (float v : example) {
          assertEquals(first, v, "an example is dropped or kept whole: " + Arrays.toString(example));
        }
        if (first == 0f) {
          dropped++;
        } else {
          assertEquals(1 / (1 - rate), first, 1e-6, "survivors are scaled by 1 / (1 - rate)");
        }
      }
      // Binomial standard deviation at n = 4000 is below 0.008; allow four of them.
      assertEquals(rate, dropped / (double) n, 0.03, "fraction dropped at progress " + progress);
    }
  }

  @Test
  void dropPathMasksRepeatForTheSameSeedAndStepOnly() {
    float[][] a = dropPathOnOnes(0.5, 64, new long[] {7, 3}, 1.0);
    assertArrayEquals(a, dropPathOnOnes(0.5, 64, new long[] {7, 3}, 1.0));
    assertFalse(Arrays.deepEquals(a, dropPathOnOnes(0.5, 64, new long[] {7, 4}, 1.0)), "another step, other masks");
    assertFalse(Arrays.deepEquals(a, dropPathOnOnes(0.5, 64, new long[] {8, 3}, 1.0)), "another seed, other masks");
  }

  @Test
  void dropPathIsTheIdentityAtProgressZeroAndInEvaluation() {
    float[][] y = dropPathOnOnes(0.9, 256, new long[] {1, 1}, 0.0);
    for (float[] example : y) {
      for (float v : example) {
        assertEquals(1f, v, "progress 0 drops nothing and scales by 1");
      }
    }
    Graph dropPath = net(new Op.DropPath(0.9));
    Graph plain = net(new Op.Identity());
    Batch.Images batch = TestNets.random(32, SMALL, 3, 1);
    try (TensorFlowBackend b = backend(NO_DECAY, 3)) {
      double eval = b.evaluate(plain, batch).loss();
      assertEquals(eval, b.evaluate(dropPath, batch).loss(), 1e-6, "evaluation");
      // Learning rate 0 and no decay: the steps change no weight, so every loss is the same network's.
      assertEquals(eval, b.train(plain, batch, 0.0, 0.0).loss(), 1e-6, "plain training step");
      assertEquals(eval, b.train(dropPath, batch, 0.0, 0.0).loss(), 1e-6, "drop-path at progress 0");
      assertNotEquals(eval, b.train(dropPath, batch, 0.0, 1.0).loss(), 1e-6, "drop-path at progress 1 drops");
    }
  }

  @Test
  void oneCompiledChildServesEveryProgressValue() {
    Graph g = net(new Op.DropPath(0.5));
    Batch.Images batch = TestNets.random(16, SMALL, 3, 1);
    try (TensorFlowBackend b = backend(NO_DECAY, 3)) {
      for (double progress : new double[] {0.0, 0.25, 0.5, 1.0}) {
        b.train(g, batch, 0.01, progress);
      }
      assertEquals(1, b.cache().misses());
      assertEquals(3, b.cache().hits());
    }
  }

  @Test
  void sameSeedGivesTheSameDropPathTrainingTwice() {
    Graph g = net(new Op.DropPath(0.5));
    Batch.Images batch = TestNets.random(16, SMALL, 3, 1);
    double[][] runs = new double[3][5];
    long[] seeds = {5, 5, 6};
    for (int r = 0; r < 3; r++) {
      try (TensorFlowBackend b = backend(seeds[r])) {
        for (int i = 0; i < 5; i++) {
          runs[r][i] = b.train(g, batch, 0.05, i / 5.0).loss();
        }
      }
    }
    assertArrayEquals(runs[0], runs[1]);
    assertFalse(Arrays.equals(runs[0], runs[2]), "another seed must give other losses");
  }

  @Test
  void progressOutsideZeroToOneIsRefused() {
    try (TensorFlowBackend b = backend(1)) {
      Graph g = net(new Op.DropPath(0.5));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.train(g, TestNets.random(2, SMALL, 3, 1), 0.1, 1.5));
      assertTrue(e.getMessage().contains("progress must be in [0, 1]"), e.getMessage());
    }
  }

  /** The main head on the pooled features and an auxiliary dense head beside it; outputs as given. */
  private static Graph twoHeads(String... outputs) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SMALL);
    String features = g.chain("body", x, Op.Conv2d.of(3, 4, k("w")), new Op.Act(Activation.RELU),
        new Op.GlobalAvgPool());
    g.op("fc", new Op.Dense(3, false, k("fc")), features);
    g.op("aux/fc", new Op.Dense(3, true, k("aux/fc")), features);
    g.op("aux", new Op.AuxLogits(0.4), "aux/fc");
    for (String out : outputs) {
      g.output(out);
    }
    return g.build();
  }

  @Test
  void auxiliaryHeadAddsItsWeightedCrossEntropyToTheTrainingLossOnly() {
    Batch.Images batch = TestNets.random(32, SMALL, 3, 2);
    try (TensorFlowBackend b = backend(NO_DECAY, 3)) {
      double main = b.evaluate(twoHeads("fc"), batch).loss();
      double aux = b.evaluate(twoHeads("aux"), batch).loss();
      assertNotEquals(main, aux, 1e-3, "the heads must differ for the test to mean anything");
      assertEquals(main, b.evaluate(twoHeads("fc", "aux"), batch).loss(), 1e-6, "evaluation ignores the aux head");
      double withAux = b.train(twoHeads("fc", "aux"), batch, 0.0, 0.5).loss();
      assertEquals(main + 0.4 * aux, withAux, 1e-5, "training loss = main + 0.4 x aux cross-entropy");
      assertEquals(main, b.train(twoHeads("fc"), batch, 0.0, 0.5).loss(), 1e-6, "without the aux output");
    }
  }

  @Test
  void theAuxHeadIsTrainedWithItsLossWeightTimesItsOwnGradient() {
    Batch.Images batch = TestNets.random(32, SMALL, 3, 4);
    // Plain SGD, so a step moves each weight by exactly -lr x its gradient.
    TensorFlowBackendOptions sgd = TensorFlowBackendOptions.newBuilder().setWeightDecay(0).setMomentum(0)
        .setClipMode(TensorFlowBackendOptions.ClipMode.NO_CLIPPING).build();
    float[] before;
    float[] weighted;
    float[] alone;
    try (TensorFlowBackend b = backend(sgd, 3)) {
      b.evaluate(twoHeads("aux"), batch);
      before = b.weights().copyOf(k("aux/fc/w"));
      b.train(twoHeads("fc", "aux"), batch, 0.1, 0.5);
      weighted = b.weights().copyOf(k("aux/fc/w"));
    }
    try (TensorFlowBackend b = backend(sgd, 3)) {
      b.train(twoHeads("aux"), batch, 0.1, 0.5);
      alone = b.weights().copyOf(k("aux/fc/w"));
    }
    // The main loss does not read aux/fc, so its gradient is 0.4 x that of the aux cross-entropy alone.
    boolean moved = false;
    for (int i = 0; i < before.length; i++) {
      double stepWeighted = weighted[i] - before[i];
      double stepAlone = alone[i] - before[i];
      moved |= stepWeighted != 0;
      assertEquals(0.4 * stepAlone, stepWeighted, 1e-6 + 1e-4 * Math.abs(stepAlone), "aux/fc/w element " + i);
    }
    assertTrue(moved, "the aux head must be trained");
  }

  @Test
  void aSecondOutputThatIsNotAuxiliaryLogitsIsRefused() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SMALL);
    String gap = g.op("gap", new Op.GlobalAvgPool(), x);
    Graph graph = g.output(g.op("fc", new Op.Dense(3, false, k("fc")), gap)).output(gap).build();
    try (TensorFlowBackend b = backend(1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.train(graph, TestNets.random(2, SMALL, 3, 1), 0.1));
      assertTrue(e.getMessage().contains("must be auxiliary logits"), e.getMessage());
      assertTrue(e.getMessage().contains("output 1 (gap)"), e.getMessage());
    }
  }

  @Test
  void theDefaultFourArgumentTrainCallsTheThreeArgumentOne() {
    double[] seen = new double[1];
    Backend minimal = new Backend() {
      public String device() {
        return "test";
      }

      public Set<Class<? extends Op>> supportedOps() {
        return Set.of();
      }

      public TrainResult train(Graph child, Batch batch, double learningRate) {
        seen[0] = learningRate;
        return new TrainResult(1, 0);
      }

      public Evaluation evaluate(Graph child, Batch batch) {
        throw new UnsupportedOperationException();
      }

      public void save(Path file, String spaceId) {}

      public void load(Path file, String spaceId) {}

      public void close() {}
    };
    assertEquals(1.0, minimal.train(null, null, 0.25, 0.7).loss());
    assertEquals(0.25, seen[0]);
  }
}
