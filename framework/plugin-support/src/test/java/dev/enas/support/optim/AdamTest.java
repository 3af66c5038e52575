package dev.enas.support.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {

  @Test
  void firstStepMovesEachParameterByAboutTheLearningRateAgainstItsGradient() {
    double[] p = {1.0, -2.0};
    Adam adam = new Adam(0.1, 0.9, 0.999, 1e-8, List.of(p));
    adam.apply(List.of(p), List.of(new double[] {3.0, -0.5}));
    // Step 1: m = 0.1 g, v = 0.001 g^2, lr_t = 0.1 * sqrt(0.001) / 0.1, so the step is 0.1 * sign(g) (up to eps).
    assertEquals(0.9, p[0], 1e-6);
    assertEquals(-1.9, p[1], 1e-6);
    assertEquals(1, adam.step());
    assertEquals(0.3, adam.firstMoments()[0][0], 1e-12);
    assertEquals(0.001 * 0.25, adam.secondMoments()[0][1], 1e-12);
  }

  @Test
  void restoredStateContinuesExactlyAsTheOriginal() {
    double[] a = {0.5};
    double[] b = {0.5};
    Adam original = new Adam(0.01, 0.9, 0.999, 1e-8, List.of(a));
    Adam restored = new Adam(0.01, 0.9, 0.999, 1e-8, List.of(b));
    original.apply(List.of(a), List.of(new double[] {1.0}));
    b[0] = a[0];
    restored.firstMoments()[0][0] = original.firstMoments()[0][0];
    restored.secondMoments()[0][0] = original.secondMoments()[0][0];
    restored.setStep(original.step());
    original.apply(List.of(a), List.of(new double[] {-2.0}));
    restored.apply(List.of(b), List.of(new double[] {-2.0}));
    assertEquals(a[0], b[0], 0.0);
  }
}
