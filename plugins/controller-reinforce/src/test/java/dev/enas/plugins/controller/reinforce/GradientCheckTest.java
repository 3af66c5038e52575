package dev.enas.plugins.controller.reinforce;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.schema.DecisionSchema;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.AnchorStep;
import dev.enas.support.schemas.TestSchemas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Back-propagation through the whole sampled sequence agrees with central finite differences. */
class GradientCheckTest {
  private static final double STEP = 1e-5;

  /** Every code path of the network: temperature, tanh, op tanh reduce, distance penalty and skip KL all on. */
  private static ReinforceControllerOptions.Builder everythingOn() {
    return ReinforceControllerOptions.newBuilder()
        .setHiddenSize(5)
        .setInitRange(0.8)
        .setTemperature(1.7)
        .setTanhConstant(2.2)
        .setOpTanhReduce(1.3)
        .setInputDistancePenalty(0.3)
        .setSkipWeight(0.8)
        .setSkipTarget(0.4)
        .setChoiceEmbedding(true)
        .setEntropyMode(ReinforceControllerOptions.EntropyMode.ENTROPY_IN_LOSS)
        .setEntropyWeight(0.3);
  }

  @Test
  void gradientMatchesFiniteDifferencesWhenTheAnchorIsTheChoiceOutput() {
    assertGradientMatches(everythingOn().setAnchorStep(AnchorStep.CHOICE_OUTPUT).build(), TestSchemas.small());
  }

  @Test
  void gradientMatchesFiniteDifferencesWithAnExtraAnchorStep() {
    assertGradientMatches(everythingOn().setAnchorStep(AnchorStep.EXTRA_STEP).build(), TestSchemas.small());
  }

  @Test
  void gradientMatchesFiniteDifferencesWithoutTemperatureOrTanh() {
    assertGradientMatches(ReinforceControllerOptions.newBuilder()
        .setHiddenSize(4).setInitRange(0.8).setTemperature(0).setTanhConstant(0).setSkipWeight(0.5).build(),
        TestSchemas.small());
  }

  @Test
  void gradientMatchesFiniteDifferencesOnTheMicroSchema() {
    assertGradientMatches(ReinforceControllerOptions.newBuilder().setPreset(ReinforceControllerOptions.Preset.MICRO_CODE)
        .setHiddenSize(3).setInitRange(0.8).build(), TestSchemas.micro());
  }

  private static void assertGradientMatches(ReinforceControllerOptions options, DecisionSchema schema) {
    ReinforceController c = new ReinforceController(ReinforceSettings.resolve(options), schema, 42);
    List<int[]> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(c.sample().architecture().tokens());
    }
    double[] advantages = {0.7, -1.3, 0.4};
    PolicyParameters analytic = c.gradient(tokens, advantages);
    PolicyParameters p = c.params;
    double worst = 0;
    String worstAt = "";
    double sqDiff = 0;
    double sqNorm = 0;
    int nonZero = 0;
    for (int i = 0; i < p.size(); i++) {
      double w = p.get(i);
      p.set(i, w + STEP);
      double up = c.loss(tokens, advantages);
      p.set(i, w - STEP);
      double down = c.loss(tokens, advantages);
      p.set(i, w);
      double numeric = (up - down) / (2 * STEP);
      double a = analytic.get(i);
      sqDiff += (a - numeric) * (a - numeric);
      sqNorm += a * a;
      double scale = Math.abs(a) + Math.abs(numeric);
      if (scale > 1e-7) {
        nonZero++;
        double rel = Math.abs(a - numeric) / scale;
        if (rel > worst) {
          worst = rel;
          worstAt = "parameter " + i + ": analytic " + a + ", numeric " + numeric;
        }
      } else {
        assertTrue(Math.abs(a - numeric) < 1e-10, "parameter " + i + ": analytic " + a + ", numeric " + numeric);
      }
    }
    assertTrue(nonZero > p.size() / 2, "too few parameters with a gradient: " + nonZero + " of " + p.size());
    assertTrue(worst < 1e-4, "worst relative error " + worst + " at " + worstAt);
    assertTrue(Math.sqrt(sqDiff / sqNorm) < 1e-6, "relative error of the whole gradient " + Math.sqrt(sqDiff / sqNorm));
  }
}
