package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;

/** Reward = accuracy, for host tests. */
public final class ToyRewardProvider implements RewardProvider<Empty> {
  @Override
  public String id() {
    return "toy-reward";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public RewardFunction create(Empty options) {
    return m -> m.accuracy();
  }
}
