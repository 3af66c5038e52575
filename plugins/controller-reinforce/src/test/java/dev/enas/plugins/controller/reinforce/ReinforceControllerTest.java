package dev.enas.plugins.controller.reinforce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.AnchorStep;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.Preset;
import dev.enas.support.schemas.TestSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReinforceControllerTest {

  private static ReinforceController controller(ReinforceControllerOptions options, DecisionSchema schema, long seed) {
    return (ReinforceController) new ReinforceControllerProvider().create(options, schema, seed);
  }

  private static ReinforceControllerOptions preset(Preset preset) {
    return ReinforceControllerOptions.newBuilder().setPreset(preset).build();
  }

  @Test
  void serviceLoaderFindsTheProviderById() {
    boolean found = false;
    for (@SuppressWarnings("rawtypes") ControllerProvider p : ServiceLoader.load(ControllerProvider.class)) {
      found |= p.id().equals("reinforce") && p instanceof ReinforceControllerProvider;
    }
    assertTrue(found, "META-INF/services does not name the reinforce provider");
  }

  @ParameterizedTest
  @EnumSource(value = Preset.class, names = {"PAPER", "MACRO_CODE", "MICRO_CODE", "LM_CODE"})
  void policyIsANormalisedDistributionOverEveryArchitecture(Preset preset) {
    // Sum of p(architecture) over all 16 architectures of the tiny schema, each scored by teacher forcing.
    DecisionSchema tiny = TestSchemas.tiny();
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setPreset(preset).setInitRange(0.7)
        .build(), tiny, 3);
    double total = 0;
    for (int op = 0; op < 2; op++) {
      for (int in = 0; in < 2; in++) {
        for (int bits = 0; bits < 4; bits++) {
          int[] tokens = {op, in, bits & 1, bits >> 1};
          total += Math.exp(c.logProb(tokens));
        }
      }
    }
    assertEquals(1.0, total, 1e-12);
  }

  @Test
  void sampledLogProbEqualsTeacherForcedLogProbAndFrequenciesFollowIt() {
    DecisionSchema tiny = TestSchemas.tiny();
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setHiddenSize(8).setInitRange(1.5)
        .setTemperature(0).setTanhConstant(0).setSkipWeight(0).build(), tiny, 5);
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Double> logProbs = new HashMap<>();
    int n = 40000;
    for (int i = 0; i < n; i++) {
      Sample s = c.sample();
      String key = s.architecture().tokenString();
      counts.merge(key, 1, Integer::sum);
      logProbs.put(key, s.logProb());
    }
    for (Map.Entry<String, Double> e : logProbs.entrySet()) {
      int[] tokens = tiny.parse(e.getKey()).tokens();
      double forced = c.logProb(tokens);
      assertEquals(forced, e.getValue(), 1e-12, "log p of " + e.getKey());
      double p = Math.exp(forced);
      double freq = counts.get(e.getKey()) / (double) n;
      assertEquals(p, freq, 4 * Math.sqrt(p * (1 - p) / n) + 1e-3, "frequency of " + e.getKey());
    }
  }

  @Test
  void entropyOfASampleIsTheSumOfItsDecisionsEntropies() {
    // One layer choice: the entropy is that of the softmax the controller samples from.
    DecisionSchema one = new DecisionSchema(List.of(new ChoicePoint.Layer("op", List.of("a", "b", "c"), "g", false)), 0);
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setInitRange(2).build(), one, 9);
    double h = 0;
    for (int a = 0; a < 3; a++) {
      double p = Math.exp(c.logProb(new int[] {a}));
      h -= p * Math.log(p);
    }
    assertEquals(h, c.sample().entropy(), 1e-12);
  }

  @Test
  void sameSeedGivesSameArchitecturesAndOtherSeedsDiffer() {
    DecisionSchema micro = TestSchemas.micro();
    Controller a = controller(preset(Preset.MICRO_CODE), micro, 7);
    Controller b = controller(preset(Preset.MICRO_CODE), micro, 7);
    for (int i = 0; i < 20; i++) {
      assertEquals(a.sample().architecture(), b.sample().architecture());
    }
    assertNotEquals(controller(preset(Preset.MICRO_CODE), micro, 8).sample().architecture(),
        controller(preset(Preset.MICRO_CODE), micro, 7).sample().architecture());
  }

  @Test
  void samplesFitTheSchemaOfEverySpace() {
    for (DecisionSchema schema : List.of(TestSchemas.micro(), TestSchemas.macro(12), TestSchemas.rnn(8))) {
      Controller c = controller(preset(Preset.PAPER), schema, 1);
      for (int i = 0; i < 50; i++) {
        Architecture arch = c.sample().architecture();
        assertEquals(schema, arch.schema());
        assertEquals(schema.tokenCount(), arch.tokens().length);
      }
    }
  }

  @Test
  void updateRaisesTheProbabilityOfARewardedArchitecture() {
    DecisionSchema small = TestSchemas.small();
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setHiddenSize(16).setLearningRate(0.01)
        .build(), small, 2);
    int[] good = c.sample().architecture().tokens();
    double before = c.logProb(good);
    for (int u = 0; u < 20; u++) {
      List<ScoredSample> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Sample s = c.sample();
        batch.add(new ScoredSample(s, 0));
      }
      batch.add(new ScoredSample(new Sample(small.fromTokens(good), 0, 0), 1));
      c.update(batch);
    }
    double after = c.logProb(good);
    assertTrue(after > before + 1, "log p of the rewarded architecture went from " + before + " to " + after);
  }

  @Test
  void baselineFollowsTheMovingAverageOfRewardPlusEntropy() {
    DecisionSchema small = TestSchemas.small();
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setBaselineDecay(0.9)
        .setEntropyWeight(0.5).build(), small, 2);
    Sample s = c.sample();
    var result = c.update(List.of(new ScoredSample(s, 2.0)));
    double expected = 0.1 * (2.0 + 0.5 * s.entropy());
    assertEquals(expected, result.baseline(), 1e-12);
    assertEquals(2.0, result.meanReward(), 0);
    assertEquals(s.entropy(), result.meanEntropy(), 1e-12);
  }

  @ParameterizedTest
  @EnumSource(value = AnchorStep.class, names = {"CHOICE_OUTPUT", "EXTRA_STEP"})
  void restoredStateContinuesExactlyAsIfNeverSaved(AnchorStep anchorStep) {
    DecisionSchema schema = TestSchemas.small();
    ReinforceControllerOptions options = ReinforceControllerOptions.newBuilder().setHiddenSize(12)
        .setAnchorStep(anchorStep).setLearningRate(0.01).build();
    ReinforceController a = controller(options, schema, 11);
    trainSteps(a, 3);
    byte[] state = a.saveState();
    List<Sample> next = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      next.add(a.sample());
    }
    List<ScoredSample> batch = new ArrayList<>();
    for (int i = 0; i < next.size(); i++) {
      batch.add(new ScoredSample(next.get(i), i % 3));
    }
    var resultA = a.update(batch);
    Sample afterA = a.sample();

    ReinforceController b = controller(options, schema, 12345);
    b.restoreState(state);
    for (Sample expected : next) {
      Sample got = b.sample();
      assertEquals(expected.architecture(), got.architecture());
      assertEquals(expected.logProb(), got.logProb(), 0);
    }
    var resultB = b.update(batch);
    assertEquals(resultA, resultB);
    Sample afterB = b.sample();
    assertEquals(afterA.architecture(), afterB.architecture());
    assertEquals(afterA.logProb(), afterB.logProb(), 0);
    assertArrayEquals(a.saveState(), b.saveState());
  }

  @Test
  void corruptOrForeignStateIsRefusedWithAClearError() {
    DecisionSchema schema = TestSchemas.small();
    ReinforceController c = controller(preset(Preset.MACRO_CODE), schema, 1);
    byte[] state = c.saveState();
    byte[] before = c.saveState();

    IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
        () -> c.restoreState(new byte[] {7, 7, 7, 7, 7}));
    assertTrue(garbage.getMessage().contains("corrupt"), garbage.getMessage());

    byte[] flipped = state.clone();
    flipped[flipped.length / 2] ^= 0x04;
    IllegalArgumentException bitFlip = assertThrows(IllegalArgumentException.class, () -> c.restoreState(flipped));
    assertTrue(bitFlip.getMessage().contains("corrupt"), bitFlip.getMessage());

    byte[] truncated = java.util.Arrays.copyOf(state, state.length - 20);
    IllegalArgumentException cut = assertThrows(IllegalArgumentException.class, () -> c.restoreState(truncated));
    assertTrue(cut.getMessage().contains("corrupt"), cut.getMessage());

    byte[] otherSchema = controller(preset(Preset.MACRO_CODE), TestSchemas.tiny(), 1).saveState();
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> c.restoreState(otherSchema));
    assertTrue(foreign.getMessage().contains("saved for layout"), foreign.getMessage());

    byte[] otherHidden = controller(preset(Preset.PAPER), schema, 1).saveState();
    assertThrows(IllegalArgumentException.class, () -> c.restoreState(otherHidden));

    assertArrayEquals(before, c.saveState(), "a refused restore must leave the controller unchanged");
  }

  @Test
  void skipPenaltyPullsSkipProbabilitiesTowardsTheTarget() {
    // With a constant reward the advantage vanishes after the baseline catches up, and only the KL
    // term moves the policy: every skip probability ends near the target 0.4.
    DecisionSchema macro = TestSchemas.macro(6);
    ReinforceController c = controller(ReinforceControllerOptions.newBuilder().setPreset(Preset.MACRO_CODE)
        .setHiddenSize(16).setInitRange(1.0).setLearningRate(0.01).setBaselineDecay(0).setEntropyWeight(0)
        .setSkipTarget(0.4).setSkipWeight(0.8).build(), macro, 4);
    double before = meanSkipProbability(c, macro);
    for (int u = 0; u < 300; u++) {
      List<ScoredSample> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        batch.add(new ScoredSample(c.sample(), 1.0));
      }
      c.update(batch);
    }
    double after = meanSkipProbability(c, macro);
    // The margin: this seed ends at 0.428, and 0.03 left 0.002 to spare. Over seeds 1 to 8 the distance to the target
    // shrank from 0.11-0.43 to 0.005-0.061, at least 4x. We ask for half the distance and within 0.07 of the target;
    // without the penalty the policy stays where it started (the reward is constant), which fails both.
    assertTrue(Math.abs(before - 0.4) > 0.1, "test needs a start away from the target, got " + before);
    assertTrue(Math.abs(after - 0.4) < Math.abs(before - 0.4) / 2 && Math.abs(after - 0.4) < 0.07,
        "mean skip probability " + before + " -> " + after + ", target 0.4");
  }

  private static double meanSkipProbability(Controller c, DecisionSchema schema) {
    double ones = 0;
    int bits = 0;
    for (int i = 0; i < 2000; i++) {
      Architecture a = c.sample().architecture();
      for (int p = 0; p < schema.points().size(); p++) {
        if (schema.points().get(p) instanceof ChoicePoint.Input) {
          for (int bit : a.value(p)) {
            ones += bit;
            bits++;
          }
        }
      }
    }
    return ones / bits;
  }

  @Test
  void presetsCarryTheAuthorsSettings() {
    ReinforceSettings micro = ReinforceSettings.resolve(preset(Preset.MICRO_CODE));
    assertEquals(64, micro.hiddenSize());
    assertEquals(1.1, micro.tanhConstant());
    assertEquals(1.1 / 2.5, micro.opTanhConstant(), 1e-15);
    assertEquals(0.0035, micro.learningRate());
    assertEquals(0, micro.adamBeta1());
    assertEquals(1e-3, micro.adamEpsilon());
    assertEquals(0.99, micro.baselineDecay());
    assertEquals(1e-4, micro.entropyWeight());
    assertEquals(AnchorStep.EXTRA_STEP, micro.anchorStep());

    ReinforceSettings macro = ReinforceSettings.resolve(preset(Preset.MACRO_CODE));
    assertEquals(1.5, macro.tanhConstant());
    assertEquals(0.001, macro.learningRate());
    assertEquals(0.4, macro.skipTarget());
    assertEquals(0.8, macro.skipWeight());

    ReinforceSettings lm = ReinforceSettings.resolve(preset(Preset.LM_CODE));
    assertEquals(5.0, lm.temperature());
    assertEquals(2.25, lm.tanhConstant());
    assertEquals(5e-5, lm.learningRate());
    assertEquals(0.999, lm.baselineDecay());
    assertEquals(1e-5, lm.entropyWeight());

    ReinforceSettings paper = ReinforceSettings.resolve(ReinforceControllerOptions.getDefaultInstance());
    assertEquals(100, paper.hiddenSize());
    assertEquals(5.0, paper.temperature());
    assertEquals(2.5, paper.tanhConstant());
    assertEquals(3.5e-4, paper.learningRate());
    assertEquals(1e-4, paper.entropyWeight());
    assertEquals(0.1, paper.initRange());
  }

  @Test
  void explicitOptionsOverrideThePresetIncludingZero() {
    ReinforceSettings s = ReinforceSettings.resolve(ReinforceControllerOptions.newBuilder().setPreset(Preset.MICRO_CODE)
        .setHiddenSize(32).setTanhConstant(0).setLearningRate(0.1).setAnchorStep(AnchorStep.CHOICE_OUTPUT).build());
    assertEquals(32, s.hiddenSize());
    assertEquals(0, s.tanhConstant());
    assertEquals(0.1, s.learningRate());
    assertEquals(AnchorStep.CHOICE_OUTPUT, s.anchorStep());
    assertEquals(2.5, s.opTanhReduce(), "options not set keep the preset's value");
  }

  @Test
  void invalidOptionsNameTheOptionAndTheAllowedValues() {
    IllegalArgumentException decay = assertThrows(IllegalArgumentException.class, () -> ReinforceSettings.resolve(
        ReinforceControllerOptions.newBuilder().setBaselineDecay(1).build()));
    assertTrue(decay.getMessage().contains("baseline_decay") && decay.getMessage().contains("[0, 1)"),
        decay.getMessage());
    IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class, () -> ReinforceSettings.resolve(
        ReinforceControllerOptions.newBuilder().setHiddenSize(0).build()));
    assertTrue(hidden.getMessage().contains("hidden_size"), hidden.getMessage());
    IllegalArgumentException preset = assertThrows(IllegalArgumentException.class, () -> ReinforceSettings.resolve(
        ReinforceControllerOptions.newBuilder().setPresetValue(17).build()));
    assertTrue(preset.getMessage().contains("MICRO_CODE"), preset.getMessage());
  }

  @Test
  void opBiasStartsTheGroupsLogitBias() {
    ReinforceControllerOptions options = ReinforceControllerOptions.newBuilder().setPreset(Preset.MICRO_CODE)
        .addOpBias(OpBias.newBuilder().setGroup("micro-ops").addAllInitial(List.of(10.0, 10.0, 0.0, 0.0, 0.0)))
        .build();
    ReinforceController c = controller(options, TestSchemas.micro(), 1);
    assertArrayEquals(new double[] {10, 10, 0, 0, 0}, c.params.softmaxBias[0]);

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> controller(
        ReinforceControllerOptions.newBuilder().addOpBias(OpBias.newBuilder().setGroup("nope").addInitial(1)).build(),
        TestSchemas.micro(), 1));
    assertTrue(unknown.getMessage().contains("nope") && unknown.getMessage().contains("micro-ops"),
        unknown.getMessage());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> controller(
        ReinforceControllerOptions.newBuilder().addOpBias(OpBias.newBuilder().setGroup("micro-ops").addInitial(1))
            .build(), TestSchemas.micro(), 1));
    assertTrue(length.getMessage().contains("5 ops"), length.getMessage());
  }

  @Test
  void layerGroupWithDifferentOptionCountsIsRefused() {
    DecisionSchema bad = new DecisionSchema(List.of(
        new ChoicePoint.Layer("a", List.of("x", "y"), "g", false),
        new ChoicePoint.Layer("b", List.of("x", "y", "z"), "g", false)), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> controller(preset(Preset.PAPER), bad, 1));
    assertTrue(e.getMessage().contains("'g'") && e.getMessage().contains("b has 3"), e.getMessage());
  }

  @Test
  void sampleOfAnotherSchemaIsRefusedByUpdate() {
    ReinforceController c = controller(preset(Preset.PAPER), TestSchemas.small(), 1);
    Sample foreign = controller(preset(Preset.PAPER), TestSchemas.tiny(), 1).sample();
    assertThrows(IllegalArgumentException.class, () -> c.update(List.of(new ScoredSample(foreign, 1))));
  }

  private static void trainSteps(Controller c, int updates) {
    for (int u = 0; u < updates; u++) {
      List<ScoredSample> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Sample s = c.sample();
        batch.add(new ScoredSample(s, s.architecture().tokens()[0]));
      }
      c.update(batch);
    }
  }
}
