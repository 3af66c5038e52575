package dev.enas.plugins.reward.perplexity;

import dev.enas.api.reward.ChildMetrics;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;

/**
 * The {@code perplexity} reward: {@code c / perplexity} of a child on one validation minibatch, the
 * paper's reward for language models (c = 80 for Penn Treebank).
 */
public final class PerplexityRewardProvider implements RewardProvider<PerplexityRewardOptions> {
  static final double DEFAULT_C = 80;

  @Override
  public String id() {
    return "perplexity";
  }

  @Override
  public PerplexityRewardOptions defaultOptions() {
    return PerplexityRewardOptions.newBuilder().setC(DEFAULT_C).build();
  }

  @Override
  public String summary() {
    return "c / validation perplexity, c = 80 (language models)";
  }

  @Override
  public RewardFunction create(PerplexityRewardOptions options) {
    double c = options.hasC() ? options.getC() : DEFAULT_C;
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("option c of reward perplexity must be a positive finite number, got " + c);
    }
    return metrics -> inversePerplexity(c, metrics);
  }

  /**
   * {@code c / exp(loss)}, computed as {@code c * exp(-loss)} so that a huge loss gives 0 rather than
   * overflowing. A NaN loss (a diverged child) gets 0 too, the lowest reward, instead of poisoning
   * the controller's update.
   */
  static double inversePerplexity(double c, ChildMetrics metrics) {
    double loss = metrics.loss();
    return Double.isNaN(loss) ? 0 : c * Math.exp(-loss);
  }
}
