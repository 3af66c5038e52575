package dev.enas.plugins.reward.composite;

import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;

/**
 * The {@code composite} reward: accuracy or {@code c / perplexity}, minus penalties per million
 * parameters and per millisecond of latency, for searches that trade quality against size or speed.
 */
public final class CompositeRewardProvider implements RewardProvider<CompositeRewardOptions> {
  static final double DEFAULT_C = 80;

  @Override
  public String id() {
    return "composite";
  }

  @Override
  public CompositeRewardOptions defaultOptions() {
    return CompositeRewardOptions.newBuilder()
        .setBase(CompositeRewardOptions.Base.ACCURACY)
        .setParamsPenaltyPerMillion(0)
        .setLatencyPenaltyPerMs(0)
        .build();
  }

  @Override
  public String summary() {
    return "accuracy or c / perplexity minus penalties per million parameters and per ms of latency";
  }

  @Override
  public RewardFunction create(CompositeRewardOptions options) {
    CompositeRewardOptions.Base base = options.getBase();
    if (base == CompositeRewardOptions.Base.UNRECOGNIZED) {
      throw new IllegalArgumentException("option base of reward composite must be ACCURACY or INVERSE_PERPLEXITY,"
          + " got enum number " + options.getBaseValue());
    }
    boolean perplexity = base == CompositeRewardOptions.Base.INVERSE_PERPLEXITY;
    if (options.hasC() && !perplexity) {
      throw new IllegalArgumentException("option c of reward composite applies only to base INVERSE_PERPLEXITY,"
          + " but base is " + base);
    }
    double c = options.hasC() ? options.getC() : DEFAULT_C;
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("option c of reward composite must be a positive finite number, got " + c);
    }
    return new CompositeReward(perplexity, c,
        penalty("params_penalty_per_million", options.getParamsPenaltyPerMillion()),
        penalty("latency_penalty_per_ms", options.getLatencyPenaltyPerMs()));
  }

  private static double penalty(String option, double weight) {
    // A negative weight would reward bigger or slower children: surely a sign slip, so refuse it.
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("option " + option + " of reward composite must be a finite number >= 0, got "
          + weight);
    }
    return weight;
  }
}
