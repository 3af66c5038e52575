package dev.enas.plugins.reward.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.reward.ChildMetrics;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AccuracyRewardTest {
  private final RewardFunction reward =
      new AccuracyRewardProvider().create(AccuracyRewardOptions.getDefaultInstance());

  @Test
  void rewardIsTheValidationAccuracy() {
    assertEquals(0.8125, reward.reward(new ChildMetrics(0.6, 0.8125, 1_000_000, 12)));
    assertEquals(0, reward.reward(new ChildMetrics(2.3, 0, 10, 1)));
    assertEquals(1, reward.reward(new ChildMetrics(0.01, 1, 10, 1)));
  }

  @Test
  void lossSizeAndLatencyDoNotMatter() {
    assertEquals(reward.reward(new ChildMetrics(0.1, 0.5, 10, 1)),
        reward.reward(new ChildMetrics(9.0, 0.5, 90_000_000, 500)));
  }

  @Test
  void accuracyOutsideTheUnitIntervalIsRefused() {
    for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> reward.reward(new ChildMetrics(0.5, bad, 10, 1)));
      assertTrue(e.getMessage().contains("accuracy must be in [0, 1], got " + bad), e.getMessage());
    }
  }

  @Test
  @SuppressWarnings("rawtypes")
  void providerIsFoundByServiceLoaderUnderItsId() {
    List<String> ids = new ArrayList<>();
    for (RewardProvider p : ServiceLoader.load(RewardProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.contains("accuracy"), ids.toString());
  }
}
