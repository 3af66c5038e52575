package dev.enas.plugins.controller.ednas;

/** The {@code ednas} controller's settings with defaults applied and every value checked. */
record EdnasSettings(double learningRate, double baselineDecay, double entropyWeight, double adamBeta1,
    double adamBeta2, double adamEpsilon) {

  static EdnasSettings resolve(EdnasControllerOptions o) {
    EdnasSettings s = new EdnasSettings(
        o.hasLearningRate() ? o.getLearningRate() : 3.5e-4,
        o.hasBaselineDecay() ? o.getBaselineDecay() : 0.99,
        o.hasEntropyWeight() ? o.getEntropyWeight() : 1e-4,
        o.hasAdamBeta1() ? o.getAdamBeta1() : 0.9,
        o.hasAdamBeta2() ? o.getAdamBeta2() : 0.999,
        o.hasAdamEpsilon() ? o.getAdamEpsilon() : 1e-8);
    require(s.learningRate > 0 && Double.isFinite(s.learningRate), "learning_rate", s.learningRate, "> 0");
    require(s.baselineDecay >= 0 && s.baselineDecay < 1, "baseline_decay", s.baselineDecay, "[0, 1)");
    require(s.entropyWeight >= 0 && Double.isFinite(s.entropyWeight), "entropy_weight", s.entropyWeight, ">= 0");
    require(s.adamBeta1 >= 0 && s.adamBeta1 < 1, "adam_beta1", s.adamBeta1, "[0, 1)");
    require(s.adamBeta2 >= 0 && s.adamBeta2 < 1, "adam_beta2", s.adamBeta2, "[0, 1)");
    require(s.adamEpsilon > 0 && Double.isFinite(s.adamEpsilon), "adam_epsilon", s.adamEpsilon, "> 0");
    return s;
  }

  private static void require(boolean ok, String option, double value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("ednas option " + option + " is " + value + ", allowed " + allowed);
    }
  }
}
