package dev.enas.plugins.controller.reinforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.EntropyMode;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.Preset;
import dev.enas.support.schemas.TestSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The controller learns a synthetic task: the reward is the fraction of decisions that equal a
 * hidden target architecture (drawn uniformly from a fixed seed). Within a fixed budget of updates
 * of 10 samples the mean reward must reach 0.8, where a uniform random policy stays at chance.
 *
 * <p>The margin: the controller is plain Java, so these numbers are the same on every x86-64 CPU, but the tests
 * should not hang on one trajectory either (a change of seed, of JDK or of a harmless rounding is another
 * trajectory). Over controller seeds 1 to 8 the mean reward ended at 0.92-0.99 (micro, chance 0.245), 0.93-0.96
 * (macro, chance 0.43) and 0.87-1.0 (recurrent, chance 0.30); seed 1, the tests' own, at 0.97, 0.96 and 0.99. We
 * ask for 0.8: far above chance (a controller that does not learn stays at chance, and the standard error of the
 * mean of these 100 samples is under 0.01), and below every seed's end.
 *
 * <p>Tuned options, on top of each space's code preset:
 * <ul>
 *   <li>hidden 16 (instead of 64), learning rate 0.004, init range 0.5, baseline decay 0.9, and
 *       Adam's usual beta1 0.9 and epsilon 1e-8 (the code presets' beta1 0 and epsilon 1e-3 move slower
 *       at these gradient sizes): a test of seconds;
 *   <li>tanh constant and temperature off: the presets bound the logits on purpose (micro op logits lie
 *       within +-0.44, so no op can get more than 38% probability) and 0.8 would be unreachable;
 *   <li>entropy bonus in the loss, weight 0.003: with the paper's entropy-in-reward the policy collapses
 *       on a wrong choice within a few hundred updates;
 *   <li>choice embedding on: the authors' LSTM sees no position, so after a stretch of repeated
 *       inputs (random targets repeat blocks) it cannot tell the next choices apart unless it learns
 *       to count; {@link #withoutChoiceEmbeddingTheMicroControllerStillLearnsWellAboveChance} shows
 *       the faithful controller learning, but slower and not to 0.8 in this budget;
 *   <li>skip KL weight 0 for the macro schema: the penalty pulls every skip towards probability 0.4,
 *       the opposite of matching a target (it has its own test in {@link ReinforceControllerTest}).
 * </ul>
 */
class LearningTest {
  private static final int BATCH = 10;

  private static ReinforceControllerOptions.Builder tuned(Preset preset) {
    return ReinforceControllerOptions.newBuilder().setPreset(preset)
        .setHiddenSize(16)
        .setLearningRate(0.004)
        .setAdamBeta1(0.9)
        .setAdamEpsilon(1e-8)
        .setInitRange(0.5)
        .setBaselineDecay(0.9)
        .setTanhConstant(0)
        .setTemperature(0)
        .setEntropyMode(EntropyMode.ENTROPY_IN_LOSS)
        .setEntropyWeight(0.003)
        .setChoiceEmbedding(true)
        .setSkipWeight(0);
  }

  @Test
  void microControllerLearnsAHiddenTargetArchitecture() {
    double reward = train(TestSchemas.micro(), tuned(Preset.MICRO_CODE).build(), 600);
    assertTrue(reward >= 0.8, "mean reward after 600 updates " + reward + " < 0.8, chance 0.245");
  }

  @Test
  void macroControllerLearnsOpsAndSkipConnections() {
    double reward = train(TestSchemas.macro(8), tuned(Preset.MACRO_CODE).build(), 400);
    assertTrue(reward >= 0.8, "mean reward after 400 updates " + reward + " < 0.8, chance 0.43");
  }

  @Test
  void recurrentControllerLearnsInputsAndActivations() {
    // The distance penalty of the LM preset would favour recent nodes over the target's; it is off here.
    double reward = train(TestSchemas.rnn(8), tuned(Preset.LM_CODE).setInputDistancePenalty(0).build(), 400);
    assertTrue(reward >= 0.8, "mean reward after 400 updates " + reward + " < 0.8, chance 0.30");
  }

  @Test
  void withoutChoiceEmbeddingTheMicroControllerStillLearnsWellAboveChance() {
    double reward = train(TestSchemas.micro(), tuned(Preset.MICRO_CODE).setChoiceEmbedding(false).build(), 400);
    // Seeds 1 to 8 ended at 0.40-0.56 (seed 1: 0.54); 0.35 is still 10 standard errors above chance.
    assertTrue(reward >= 0.35, "mean reward after 400 updates " + reward + ", chance is 0.245");
  }

  @Test
  void uniformRandomPolicyStaysAtChanceOnTheMicroTask() {
    DecisionSchema schema = TestSchemas.micro();
    // Analytically: ops match with 1/5; block b's two inputs with 1/(b+2); 40 tokens in all.
    double chance = 0;
    for (ChoicePoint p : schema.points()) {
      chance += 1.0 / p.tokenRange(0);
    }
    chance /= schema.tokenCount();
    assertEquals((20 * 0.2 + 4 * (1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0 + 1 / 6.0)) / 40, chance, 1e-12);
    // Empirically, with as many samples as the micro test's budget uses.
    int[] target = target(schema);
    SplittableRandom rng = new SplittableRandom(5);
    double sum = 0;
    int n = 600 * BATCH;
    for (int i = 0; i < n; i++) {
      int[] tokens = new int[schema.tokenCount()];
      for (int t = 0; t < tokens.length; t++) {
        tokens[t] = rng.nextInt(schema.points().get(t).tokenRange(0));
      }
      sum += reward(tokens, target);
    }
    double mean = sum / n;
    assertEquals(chance, mean, 0.01, "random policy's mean reward");
    assertTrue(mean < 0.3, "random policy should stay near chance " + chance + ", got " + mean);
  }

  /** Trains for a fixed number of updates; returns the mean reward of the last 10 updates' samples. */
  static double train(DecisionSchema schema, ReinforceControllerOptions options, int updates) {
    Controller c = new ReinforceControllerProvider().create(options, schema, 1);
    int[] target = target(schema);
    double recent = 0;
    for (int u = 0; u < updates; u++) {
      List<ScoredSample> batch = new ArrayList<>();
      double sum = 0;
      for (int i = 0; i < BATCH; i++) {
        Sample s = c.sample();
        double r = reward(s.architecture().tokens(), target);
        sum += r;
        batch.add(new ScoredSample(s, r));
      }
      c.update(batch);
      if (u >= updates - 10) {
        recent += sum / BATCH / 10;
      }
    }
    return recent;
  }

  /** A fixed hidden target: every token drawn uniformly in its range from a seed of the test's own. */
  static int[] target(DecisionSchema schema) {
    SplittableRandom rng = new SplittableRandom(20180209);
    int[] t = new int[schema.tokenCount()];
    int pos = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++, pos++) {
        t[pos] = rng.nextInt(p.tokenRange(i));
      }
    }
    return t;
  }

  /** The fraction of decisions equal to the target's. */
  static double reward(int[] tokens, int[] target) {
    int same = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == target[i]) {
        same++;
      }
    }
    return (double) same / tokens.length;
  }
}
