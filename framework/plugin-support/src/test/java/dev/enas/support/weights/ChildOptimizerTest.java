package dev.enas.support.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.weights.OptimizerSettings.Clip;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildOptimizerTest {

  private static SharedWeights.Entry entry(float... values) {
    return new SharedWeights.Entry(TensorShape.of(values.length), true, values, new float[values.length]);
  }

  /** Settings built one field at a time, as a backend's options message would give them. */
  private static final class Settings {
    double momentum;
    boolean nesterov = true;
    double weightDecay;
    Clip clip = Clip.NONE;
    double clipBound = 5;

    Settings setMomentum(double v) {
      momentum = v;
      return this;
    }

    Settings setNesterov(boolean v) {
      nesterov = v;
      return this;
    }

    Settings setWeightDecay(double v) {
      weightDecay = v;
      return this;
    }

    Settings setClipMode(Clip v) {
      clip = v;
      return this;
    }

    Settings setClipBound(double v) {
      clipBound = v;
      return this;
    }
  }

  private static ChildOptimizer optimizer(Settings o) {
    return new ChildOptimizer(new OptimizerSettings(o.momentum, o.nesterov, o.weightDecay, o.clip, o.clipBound));
  }

  private static Settings plainSgd() {
    return new Settings();
  }

  @Test
  void globalNormClippingScalesAllGradientsToTheBound() {
    SharedWeights.Entry a = entry(0f, 0f);
    SharedWeights.Entry b = entry(0f);
    double norm = optimizer(plainSgd().setClipMode(Clip.GLOBAL_NORM).setClipBound(1.3))
        .step(List.of(a, b), new float[][] {{3f, 4f}, {12f}}, 1.0);
    assertEquals(13.0, norm, 1e-6);
    assertArrayEquals(new float[] {-0.3f, -0.4f}, a.values, 1e-6f);
    assertArrayEquals(new float[] {-1.2f}, b.values, 1e-6f);
  }

  @Test
  void perTensorClippingScalesOnlyTensorsAboveTheBound() {
    SharedWeights.Entry a = entry(0f, 0f);
    SharedWeights.Entry b = entry(0f);
    optimizer(plainSgd().setClipMode(Clip.PER_TENSOR_NORM).setClipBound(1.0))
        .step(List.of(a, b), new float[][] {{3f, 4f}, {0.5f}}, 1.0);
    assertArrayEquals(new float[] {-0.6f, -0.8f}, a.values, 1e-6f);
    assertArrayEquals(new float[] {-0.5f}, b.values, 1e-6f);
  }

  @Test
  void noClippingAppliesTheRawGradient() {
    SharedWeights.Entry a = entry(0f, 0f);
    optimizer(plainSgd().setClipBound(1.0)).step(List.of(a), new float[][] {{3f, 4f}}, 0.5);
    assertArrayEquals(new float[] {-1.5f, -2f}, a.values, 1e-6f);
  }

  @Test
  void weightDecayAddsTwiceLambdaTimesTheWeight() {
    SharedWeights.Entry a = entry(1f, -2f);
    optimizer(plainSgd().setWeightDecay(0.5)).step(List.of(a), new float[][] {{0f, 0f}}, 0.1);
    assertArrayEquals(new float[] {0.9f, -1.8f}, a.values, 1e-6f);
  }

  @Test
  void weightDecaySkipsTensorsDeclaredUndecayed() {
    SharedWeights.Entry cell = entry(1f, -2f);
    SharedWeights.Entry embedding = entry(1f, -2f);
    ParamSpec w = ParamSpec.trainable(ParamKey.of("cell/w"), TensorShape.of(2), ParamSpec.Init.ZEROS);
    ParamSpec table = ParamSpec.undecayed(ParamKey.of("embedding"), TensorShape.of(2), ParamSpec.Init.ZEROS);
    optimizer(plainSgd().setWeightDecay(0.5)).step(List.of(cell, embedding), new float[][] {{0f, 0f}, {0f, 0f}},
        ChildOptimizer.decayed(List.of(w, table)), 0.1);
    assertArrayEquals(new float[] {0.9f, -1.8f}, cell.values, 1e-6f);
    assertArrayEquals(new float[] {1f, -2f}, embedding.values, 0f);
  }

  @Test
  void nesterovMomentumFollowsTensorFlowsUpdate() {
    SharedWeights.Entry a = entry(1f);
    ChildOptimizer opt = optimizer(plainSgd().setMomentum(0.9));
    opt.step(List.of(a), new float[][] {{1f}}, 0.1);
    // v = 1; w = 1 - 0.1 (1 + 0.9 * 1) = 0.81
    assertEquals(0.81f, a.values[0], 1e-6f);
    assertEquals(1f, a.momentum[0], 1e-6f);
    opt.step(List.of(a), new float[][] {{2f}}, 0.1);
    // v = 0.9 + 2 = 2.9; w = 0.81 - 0.1 (2 + 0.9 * 2.9) = 0.349
    assertEquals(2.9f, a.momentum[0], 1e-6f);
    assertEquals(0.349f, a.values[0], 1e-6f);
  }

  @Test
  void heavyBallMomentumWhenNesterovIsOff() {
    SharedWeights.Entry a = entry(1f);
    ChildOptimizer opt = optimizer(plainSgd().setMomentum(0.9).setNesterov(false));
    opt.step(List.of(a), new float[][] {{1f}}, 0.1);
    opt.step(List.of(a), new float[][] {{2f}}, 0.1);
    // v1 = 1, w1 = 0.9; v2 = 2.9, w2 = 0.61
    assertEquals(0.61f, a.values[0], 1e-6f);
  }
}
