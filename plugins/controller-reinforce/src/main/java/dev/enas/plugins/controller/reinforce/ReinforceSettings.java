package dev.enas.plugins.controller.reinforce;

import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.AnchorStep;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.EntropyMode;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.Preset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The controller's settings after the preset has been applied and the explicitly set options
 * have overridden it; every value is checked here, so the network code can trust them.
 *
 * @param temperature 0 means no temperature
 * @param tanhConstant 0 means no tanh squashing
 * @param opBiasInit initial op-logit bias per layer group; groups not named start at zero
 * @param choiceEmbedding whether each choice point adds a learned vector to its step's input
 * @param entropyMode whether the entropy bonus goes into the reward or into the loss
 */
record ReinforceSettings(
    int hiddenSize,
    double temperature,
    double tanhConstant,
    double opTanhReduce,
    double entropyWeight,
    double baselineDecay,
    double skipTarget,
    double skipWeight,
    double learningRate,
    double adamBeta1,
    double adamBeta2,
    double adamEpsilon,
    double initRange,
    AnchorStep anchorStep,
    double inputDistancePenalty,
    Map<String, double[]> opBiasInit,
    boolean choiceEmbedding,
    EntropyMode entropyMode) {

  /** The values of one preset, before any override. */
  static ReinforceSettings preset(Preset preset) {
    Map<String, double[]> noBias = Map.of();
    if (preset == Preset.MACRO_CODE) {
      return new ReinforceSettings(64, 0, 1.5, 1, 1e-4, 0.99, 0.4, 0.8, 1e-3, 0, 0.999, 1e-3, 0.1,
          AnchorStep.CHOICE_OUTPUT, 0, noBias, false, EntropyMode.ENTROPY_IN_REWARD);
    }
    if (preset == Preset.MICRO_CODE) {
      // The micro code has no skip penalty (it has no multi input choices either).
      return new ReinforceSettings(64, 0, 1.1, 2.5, 1e-4, 0.99, 0.4, 0, 3.5e-3, 0, 0.999, 1e-3, 0.1,
          AnchorStep.EXTRA_STEP, 0, noBias, false, EntropyMode.ENTROPY_IN_REWARD);
    }
    if (preset == Preset.LM_CODE) {
      // enas_lm uses tf.train.AdamOptimizer's defaults and initialises in +-0.01.
      return new ReinforceSettings(64, 5.0, 2.25, 1, 1e-5, 0.999, 0.4, 0, 5e-5, 0.9, 0.999, 1e-8, 0.01,
          AnchorStep.CHOICE_OUTPUT, 1.0 / 6.0, noBias, false, EntropyMode.ENTROPY_IN_REWARD);
    }
    if (preset == Preset.PAPER) {
      // The paper gives no baseline decay or Adam moments: 0.99 is the authors' flag, the rest are Adam's defaults.
      return new ReinforceSettings(100, 5.0, 2.5, 1, 1e-4, 0.99, 0.4, 0.8, 3.5e-4, 0.9, 0.999, 1e-8, 0.1,
          AnchorStep.CHOICE_OUTPUT, 0, noBias, false, EntropyMode.ENTROPY_IN_REWARD);
    }
    throw new IllegalArgumentException("unknown reinforce preset " + preset
        + "; allowed: PAPER, MACRO_CODE, MICRO_CODE, LM_CODE");
  }

  /** The preset named in {@code o}, overridden by every field {@code o} sets, then validated. */
  static ReinforceSettings resolve(ReinforceControllerOptions o) {
    if (o.getPreset() == Preset.UNRECOGNIZED) {
      throw new IllegalArgumentException("unknown reinforce preset number " + o.getPresetValue()
          + "; allowed: PAPER, MACRO_CODE, MICRO_CODE, LM_CODE");
    }
    ReinforceSettings p = preset(o.getPreset());
    AnchorStep anchorStep = p.anchorStep;
    if (o.getAnchorStep() == AnchorStep.UNRECOGNIZED) {
      throw new IllegalArgumentException("unknown reinforce anchor_step number " + o.getAnchorStepValue()
          + "; allowed: CHOICE_OUTPUT, EXTRA_STEP");
    }
    if (o.getAnchorStep() != AnchorStep.ANCHOR_STEP_FROM_PRESET) {
      anchorStep = o.getAnchorStep();
    }
    if (o.getEntropyMode() == EntropyMode.UNRECOGNIZED) {
      throw new IllegalArgumentException("unknown reinforce entropy_mode number " + o.getEntropyModeValue()
          + "; allowed: ENTROPY_IN_REWARD, ENTROPY_IN_LOSS");
    }
    EntropyMode entropyMode = o.getEntropyMode() == EntropyMode.ENTROPY_MODE_FROM_PRESET
        ? p.entropyMode : o.getEntropyMode();
    Map<String, double[]> bias = new LinkedHashMap<>();
    for (OpBias b : o.getOpBiasList()) {
      if (bias.put(b.getGroup(), b.getInitialList().stream().mapToDouble(Double::doubleValue).toArray()) != null) {
        throw new IllegalArgumentException("reinforce option op_bias names group '" + b.getGroup() + "' twice");
      }
    }
    ReinforceSettings s = new ReinforceSettings(
        o.hasHiddenSize() ? o.getHiddenSize() : p.hiddenSize,
        o.hasTemperature() ? o.getTemperature() : p.temperature,
        o.hasTanhConstant() ? o.getTanhConstant() : p.tanhConstant,
        o.hasOpTanhReduce() ? o.getOpTanhReduce() : p.opTanhReduce,
        o.hasEntropyWeight() ? o.getEntropyWeight() : p.entropyWeight,
        o.hasBaselineDecay() ? o.getBaselineDecay() : p.baselineDecay,
        o.hasSkipTarget() ? o.getSkipTarget() : p.skipTarget,
        o.hasSkipWeight() ? o.getSkipWeight() : p.skipWeight,
        o.hasLearningRate() ? o.getLearningRate() : p.learningRate,
        o.hasAdamBeta1() ? o.getAdamBeta1() : p.adamBeta1,
        o.hasAdamBeta2() ? o.getAdamBeta2() : p.adamBeta2,
        o.hasAdamEpsilon() ? o.getAdamEpsilon() : p.adamEpsilon,
        o.hasInitRange() ? o.getInitRange() : p.initRange,
        anchorStep,
        o.hasInputDistancePenalty() ? o.getInputDistancePenalty() : p.inputDistancePenalty,
        Map.copyOf(bias),
        o.hasChoiceEmbedding() ? o.getChoiceEmbedding() : p.choiceEmbedding,
        entropyMode);
    s.validate();
    return s;
  }

  private void validate() {
    require(hiddenSize >= 1 && hiddenSize <= 4096, "hidden_size", hiddenSize, "1..4096");
    require(temperature >= 0 && Double.isFinite(temperature), "temperature", temperature, ">= 0 (0 = off)");
    require(tanhConstant >= 0 && Double.isFinite(tanhConstant), "tanh_constant", tanhConstant, ">= 0 (0 = off)");
    require(opTanhReduce > 0 && Double.isFinite(opTanhReduce), "op_tanh_reduce", opTanhReduce, "> 0");
    require(entropyWeight >= 0 && Double.isFinite(entropyWeight), "entropy_weight", entropyWeight, ">= 0");
    require(baselineDecay >= 0 && baselineDecay < 1, "baseline_decay", baselineDecay, "[0, 1)");
    require(skipTarget > 0 && skipTarget < 1, "skip_target", skipTarget, "(0, 1)");
    require(skipWeight >= 0 && Double.isFinite(skipWeight), "skip_weight", skipWeight, ">= 0");
    require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate", learningRate, "> 0");
    require(adamBeta1 >= 0 && adamBeta1 < 1, "adam_beta1", adamBeta1, "[0, 1)");
    require(adamBeta2 >= 0 && adamBeta2 < 1, "adam_beta2", adamBeta2, "[0, 1)");
    require(adamEpsilon > 0 && Double.isFinite(adamEpsilon), "adam_epsilon", adamEpsilon, "> 0");
    require(initRange >= 0 && Double.isFinite(initRange), "init_range", initRange, ">= 0");
    require(inputDistancePenalty >= 0 && Double.isFinite(inputDistancePenalty), "input_distance_penalty",
        inputDistancePenalty, ">= 0");
  }

  private static void require(boolean ok, String option, double value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("reinforce option " + option + " is " + value + ", allowed " + allowed);
    }
  }

  boolean entropyInLoss() {
    return entropyMode == EntropyMode.ENTROPY_IN_LOSS;
  }

  /** Scale of the tanh squashing for layer (op) choices. */
  double opTanhConstant() {
    return tanhConstant / opTanhReduce;
  }
}
