package dev.enas.plugins.reward.composite;

import dev.enas.api.reward.ChildMetrics;
import dev.enas.api.reward.RewardFunction;

/**
 * A base metric minus linear penalties on size and latency. Additive rather than MnasNet's
 * multiplicative {@code metric * (x / target)^w}: each weight reads directly as "reward given up per
 * million parameters" or "per millisecond", needs no target, and keeps the reward's scale whatever
 * the base. A penalty whose weight is 0 is skipped, so an unmeasured (NaN) latency does no harm then.
 *
 * @param inversePerplexity use {@code c / perplexity} as the base instead of accuracy
 */
record CompositeReward(boolean inversePerplexity, double c, double paramsPenaltyPerMillion,
    double latencyPenaltyPerMs) implements RewardFunction {

  @Override
  public double reward(ChildMetrics metrics) {
    double reward = inversePerplexity ? inversePerplexity(metrics) : accuracy(metrics);
    if (paramsPenaltyPerMillion > 0) {
      if (metrics.parameterCount() < 0) {
        throw new IllegalArgumentException("parameter count must be >= 0, got " + metrics.parameterCount());
      }
      reward -= paramsPenaltyPerMillion * metrics.parameterCount() / 1e6;
    }
    if (latencyPenaltyPerMs > 0) {
      double latency = metrics.latencyMillis();
      if (!(latency >= 0) || Double.isInfinite(latency)) {
        throw new IllegalArgumentException("latency must be a finite number of milliseconds >= 0 when"
            + " latency_penalty_per_ms is set, got " + latency);
      }
      reward -= latencyPenaltyPerMs * latency;
    }
    return reward;
  }

  private static double accuracy(ChildMetrics metrics) {
    double accuracy = metrics.accuracy();
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
    }
    return accuracy;
  }

  /** {@code c * exp(-loss)}: a huge or NaN loss (a diverged child) earns 0 before penalties. */
  private double inversePerplexity(ChildMetrics metrics) {
    double loss = metrics.loss();
    return Double.isNaN(loss) ? 0 : c * Math.exp(-loss);
  }
}
