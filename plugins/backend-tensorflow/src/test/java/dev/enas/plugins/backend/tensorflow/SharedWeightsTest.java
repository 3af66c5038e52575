package dev.enas.plugins.backend.tensorflow;

import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.ParamInit;
import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedWeightsTest {
  private static final TensorShape SHAPE = TensorShape.of(8, 8, 3);

  /** Two children sharing a stem and a classifier; A adds a conv, B a separable conv with its own batch norm. */
  static Graph childA() {
    return TestNets.convNet(SHAPE, 8, 4, Op.Conv2d.of(3, 8, k("a/w")), "a");
  }

  static Graph childB() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SHAPE);
    x = g.op("stem", Op.Conv2d.of(3, 8, k("stem/w")), x);
    x = g.op("stem_bn", new Op.BatchNorm(k("stem/bn")), x);
    x = g.op("stem_relu", new Op.Act(Activation.RELU), x);
    x = g.chain("b", x, new Op.DepthwiseConv2d(3, 1, 1, k("b/dw")), Op.Conv2d.of(1, 8, k("b/pw")),
        new Op.BatchNorm(k("b/bn")));
    x = g.op("gap", new Op.GlobalAvgPool(), x);
    x = g.op("fc", new Op.Dense(4, true, k("fc")), x);
    return g.output(x).build();
  }

  private static float[] momentum(TensorFlowBackend b, String key) {
    SharedWeights.Entry e = b.weights().get(k(key));
    return Arrays.copyOf(e.momentum, e.momentum.length);
  }

  @Test
  void stepOnOneChildLeavesTheWeightsOnlyAnotherChildUsesBitIdentical() {
    Batch.Images batch = TestNets.random(16, SHAPE, 4, 3);
    try (TensorFlowBackend b = backend(11)) {
      b.train(childB(), batch, 0.05);
      String[] onlyB = {"b/dw", "b/pw", "b/bn/scale", "b/bn/offset"};
      Map<String, float[]> values = new java.util.HashMap<>();
      Map<String, float[]> slots = new java.util.HashMap<>();
      for (String key : onlyB) {
        values.put(key, b.weights().copyOf(k(key)));
        slots.put(key, momentum(b, key));
      }
      float[] bMovingMean = b.weights().copyOf(k("b/bn/moving_mean"));
      float[] stem = b.weights().copyOf(k("stem/w"));
      float[] fc = b.weights().copyOf(k("fc/w"));
      for (int i = 0; i < 3; i++) {
        b.train(childA(), batch, 0.05);
      }
      for (String key : onlyB) {
        assertArrayEquals(values.get(key), b.weights().copyOf(k(key)), key + " must not change when A trains");
        assertArrayEquals(slots.get(key), momentum(b, key), "momentum of " + key + " must not change when A trains");
      }
      assertArrayEquals(bMovingMean, b.weights().copyOf(k("b/bn/moving_mean")), "B's moving mean");
      assertFalse(Arrays.equals(stem, b.weights().copyOf(k("stem/w"))), "the shared stem must be trained by A");
      assertFalse(Arrays.equals(fc, b.weights().copyOf(k("fc/w"))), "the shared classifier must be trained by A");
      assertNotNull(b.weights().get(k("a/w")));
    }
  }

  @Test
  void tensorsAreCreatedOnFirstUseWithValuesIndependentOfSamplingOrder() {
    Batch.Images batch = TestNets.random(4, SHAPE, 4, 3);
    try (TensorFlowBackend ab = backend(5); TensorFlowBackend ba = backend(5); TensorFlowBackend other = backend(6)) {
      ab.evaluate(childA(), batch);
      assertNull(ab.weights().get(k("b/dw")), "B's weights exist only once a child uses them");
      ab.evaluate(childB(), batch);
      ba.evaluate(childB(), batch);
      ba.evaluate(childA(), batch);
      other.evaluate(childA(), batch);
      other.evaluate(childB(), batch);
      assertTrue(ab.weights().entries().keySet().equals(ba.weights().entries().keySet()));
      for (ParamKey key : ab.weights().entries().keySet()) {
        assertArrayEquals(ab.weights().copyOf(key), ba.weights().copyOf(key), key + " depends on sampling order");
      }
      assertFalse(Arrays.equals(ab.weights().copyOf(k("stem/w")), other.weights().copyOf(k("stem/w"))),
          "another seed must give other initial values");
    }
  }

  @Test
  void heNormalInitialisationHasTheFanInStandardDeviation() {
    float[] w = ParamInit.values(ParamSpec.trainable(k("big"), TensorShape.of(3, 3, 64, 64), ParamSpec.Init.HE_NORMAL), 1);
    double sq = 0;
    double sum = 0;
    for (float v : w) {
      sq += v * v;
      sum += v;
    }
    double std = Math.sqrt(sq / w.length);
    double want = Math.sqrt(2.0 / (3 * 3 * 64));
    assertTrue(Math.abs(std - want) < 0.03 * want, "std " + std + ", He-normal wants " + want);
    assertTrue(Math.abs(sum / w.length) < 0.03 * want, "mean " + sum / w.length);
    try (TensorFlowBackend b = backend(1)) {
      b.evaluate(childA(), TestNets.random(2, SHAPE, 4, 1));
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, b.weights().copyOf(k("stem/bn/scale")));
      assertArrayEquals(new float[8], b.weights().copyOf(k("stem/bn/offset")));
    }
  }

  @Test
  void aKeyUsedWithTwoShapesIsRefused() {
    Graph wide = TestNets.convNet(SHAPE, 16, 4, null, null);
    try (TensorFlowBackend b = backend(1)) {
      b.evaluate(childA(), TestNets.random(2, SHAPE, 4, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.evaluate(wide, TestNets.random(2, SHAPE, 4, 1)));
      assertTrue(e.getMessage().contains("stem/w"), e.getMessage());
    }
  }
}
