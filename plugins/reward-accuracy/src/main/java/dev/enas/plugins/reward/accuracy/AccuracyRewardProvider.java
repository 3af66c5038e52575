package dev.enas.plugins.reward.accuracy;

import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;

/**
 * The {@code accuracy} reward: a child's top-1 accuracy on one validation minibatch, the paper's
 * reward for image classification and the default for image tasks.
 */
public final class AccuracyRewardProvider implements RewardProvider<AccuracyRewardOptions> {

  @Override
  public String id() {
    return "accuracy";
  }

  @Override
  public AccuracyRewardOptions defaultOptions() {
    return AccuracyRewardOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "validation accuracy on a minibatch (image tasks)";
  }

  @Override
  public RewardFunction create(AccuracyRewardOptions options) {
    return metrics -> {
      double accuracy = metrics.accuracy();
      // An accuracy outside [0, 1] is a backend bug; rewarding it would teach the controller nonsense.
      if (!(accuracy >= 0 && accuracy <= 1)) {
        throw new IllegalArgumentException("accuracy must be in [0, 1], got " + accuracy);
      }
      return accuracy;
    };
  }
}
