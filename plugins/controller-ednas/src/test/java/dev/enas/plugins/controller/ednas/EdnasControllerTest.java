package dev.enas.plugins.controller.ednas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.support.schemas.TestSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EdnasControllerTest {
  private static final DecisionSchema MICRO = TestSchemas.micro();

  private static EdnasController controller(EdnasControllerOptions options, DecisionSchema schema, long seed) {
    return (EdnasController) new EdnasControllerProvider().create(options, schema, seed);
  }

  private static EdnasController controller(long seed) {
    return controller(EdnasControllerOptions.getDefaultInstance(), MICRO, seed);
  }

  @Test
  void serviceLoaderFindsTheProviderById() {
    boolean found = false;
    for (@SuppressWarnings("rawtypes") ControllerProvider p : ServiceLoader.load(ControllerProvider.class)) {
      found |= p.id().equals("ednas") && p instanceof EdnasControllerProvider;
    }
    assertTrue(found, "META-INF/services does not name the ednas provider");
  }

  @Test
  void initialPolicyIsUniform() {
    Sample s = controller(3).sample();
    double expected = 0;
    for (ChoicePoint p : MICRO.points()) {
      expected -= Math.log(p.tokenRange(0));
    }
    assertEquals(expected, s.logProb(), 1e-12);
    assertEquals(-expected, s.entropy(), 1e-12);
  }

  @Test
  void sameSeedGivesSameArchitectures() {
    Controller a = controller(7);
    Controller b = controller(7);
    for (int i = 0; i < 20; i++) {
      assertEquals(a.sample().architecture(), b.sample().architecture());
    }
    assertNotEquals(controller(8).sample().architecture(), controller(7).sample().architecture());
  }

  @Test
  void updateMovesProbabilityTowardsARewardedChoiceByOnehotMinusPi() {
    DecisionSchema one = new DecisionSchema(List.of(new ChoicePoint.Layer("op", List.of("a", "b", "c"), "ops", false)), 0);
    EdnasController c = controller(EdnasControllerOptions.newBuilder().setLearningRate(0.1).setEntropyWeight(0)
        .setBaselineDecay(0.5).build(), one, 1);
    Sample s = new Sample(one.fromTokens(new int[] {1}), Math.log(1 / 3.0), Math.log(3));
    // Baseline 0 -> 0.5 after this reward of 1, so the advantage is +0.5: gradient of the loss is
    // -0.5 * (onehot(1) - 1/3) = [+1/6, -1/3, +1/6]; Adam's first step moves each logit by lr against its sign.
    c.update(List.of(new ScoredSample(s, 1.0)));
    assertEquals(-0.1, c.logits[0][0], 1e-6);
    assertEquals(0.1, c.logits[0][1], 1e-6);
    assertEquals(-0.1, c.logits[0][2], 1e-6);
    double[] pi = c.probabilities(0);
    assertEquals(Math.exp(0.1) / (Math.exp(0.1) + 2 * Math.exp(-0.1)), pi[1], 1e-6, "rewarded option's probability");
  }

  @Test
  void learnsAHiddenTargetMicroArchitecture() {
    // Tuned for a test of seconds: learning rate 0.05 instead of the paper's 3.5e-4, baseline decay 0.9.
    EdnasController c = controller(EdnasControllerOptions.newBuilder().setLearningRate(0.05).setBaselineDecay(0.9)
        .build(), MICRO, 1);
    double reward = train(c, MICRO, 300);
    assertTrue(reward >= 0.9, "mean reward after training " + reward + " < 0.9");
  }

  @Test
  void learnsMacroOpsAndSkipConnections() {
    DecisionSchema macro = TestSchemas.macro(12);
    EdnasController c = controller(EdnasControllerOptions.newBuilder().setLearningRate(0.05).setBaselineDecay(0.9)
        .build(), macro, 1);
    double reward = train(c, macro, 300);
    assertTrue(reward >= 0.9, "mean reward after training " + reward + " < 0.9");
  }

  @Test
  void uniformPolicyStaysAtChance() {
    // The untrained policy is uniform, i.e. random search: its reward is the chance level,
    // 0.245 on the micro schema (ops 1/5, block b's inputs 1/(b+2)).
    EdnasController c = controller(1);
    int[] target = target(MICRO);
    double sum = 0;
    int n = 20000;
    for (int i = 0; i < n; i++) {
      sum += reward(c.sample().architecture().tokens(), target);
    }
    assertEquals(0.245, sum / n, 0.01);
  }

  @Test
  void restoredStateContinuesExactly() {
    EdnasController a = controller(11);
    train(a, MICRO, 5);
    byte[] state = a.saveState();
    List<int[]> expected = new ArrayList<>();
    List<ScoredSample> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Sample s = a.sample();
      expected.add(s.architecture().tokens());
      batch.add(new ScoredSample(s, i / 5.0));
    }
    a.update(batch);
    int[] afterUpdate = a.sample().architecture().tokens();

    EdnasController b = controller(99);
    b.restoreState(state);
    for (int[] tokens : expected) {
      assertArrayEquals(tokens, b.sample().architecture().tokens());
    }
    b.update(batch);
    assertArrayEquals(afterUpdate, b.sample().architecture().tokens());
    assertArrayEquals(a.saveState(), b.saveState());
  }

  @Test
  void corruptStateIsRefusedWithAClearError() {
    EdnasController c = controller(1);
    byte[] state = c.saveState();
    IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
        () -> c.restoreState(new byte[] {1, 2, 3, 4, 5}));
    assertTrue(garbage.getMessage().contains("corrupt"), garbage.getMessage());
    byte[] flipped = state.clone();
    flipped[flipped.length / 2] ^= 0x10;
    IllegalArgumentException bitFlip = assertThrows(IllegalArgumentException.class, () -> c.restoreState(flipped));
    assertTrue(bitFlip.getMessage().contains("corrupt"), bitFlip.getMessage());
    byte[] other = controller(EdnasControllerOptions.getDefaultInstance(), TestSchemas.macro(3), 1).saveState();
    IllegalArgumentException layout = assertThrows(IllegalArgumentException.class, () -> c.restoreState(other));
    assertTrue(layout.getMessage().contains("saved for"), layout.getMessage());
  }

  @Test
  void invalidOptionsNameTheOptionAndTheAllowedRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> controller(EdnasControllerOptions.newBuilder().setBaselineDecay(1.5).build(), MICRO, 1));
    assertTrue(e.getMessage().contains("baseline_decay") && e.getMessage().contains("[0, 1)"), e.getMessage());
  }

  /** Trains with batches of 10 and returns the mean reward of the last 10 updates' samples. */
  static double train(Controller c, DecisionSchema schema, int updates) {
    int[] target = target(schema);
    double recent = 0;
    for (int u = 0; u < updates; u++) {
      List<ScoredSample> batch = new ArrayList<>();
      double sum = 0;
      for (int i = 0; i < 10; i++) {
        Sample s = c.sample();
        double r = reward(s.architecture().tokens(), target);
        sum += r;
        batch.add(new ScoredSample(s, r));
      }
      c.update(batch);
      if (u >= updates - 10) {
        recent += sum / 100;
      }
    }
    return recent;
  }

  /** A fixed hidden target architecture, drawn from a seed of the test's own. */
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
