package dev.enas.plugins.reward.perplexity;

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

class PerplexityRewardTest {
  private static RewardFunction reward(PerplexityRewardOptions.Builder options) {
    return new PerplexityRewardProvider().create(options.build());
  }

  private static ChildMetrics withLoss(double loss) {
    return new ChildMetrics(loss, 0.3, 1_000_000, 10);
  }

  @Test
  void rewardIsEightyOverPerplexityByDefault() {
    RewardFunction r = reward(PerplexityRewardOptions.newBuilder());
    assertEquals(80.0 / 100.0, r.reward(withLoss(Math.log(100))), 1e-12);
    assertEquals(80.0 / 60.0, r.reward(withLoss(Math.log(60))), 1e-12);
    assertEquals(80, new PerplexityRewardProvider().defaultOptions().getC());
  }

  @Test
  void cIsAnOption() {
    assertEquals(0.5, reward(PerplexityRewardOptions.newBuilder().setC(50)).reward(withLoss(Math.log(100))), 1e-12);
  }

  @Test
  void lowerPerplexityEarnsMore() {
    RewardFunction r = reward(PerplexityRewardOptions.newBuilder());
    assertTrue(r.reward(withLoss(4.0)) > r.reward(withLoss(4.5)));
  }

  @Test
  void divergedChildrenGetTheLowestReward() {
    RewardFunction r = reward(PerplexityRewardOptions.newBuilder());
    assertEquals(0, r.reward(withLoss(Double.POSITIVE_INFINITY)));
    assertEquals(0, r.reward(withLoss(Double.NaN)));
    assertEquals(0, r.reward(withLoss(1e6)));
  }

  @Test
  void badCIsRefusedWithTheOptionName() {
    for (double bad : new double[] {-80, 0, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> reward(PerplexityRewardOptions.newBuilder().setC(bad)));
      assertTrue(e.getMessage().contains("option c of reward perplexity must be a positive finite number, got " + bad),
          e.getMessage());
    }
  }

  @Test
  @SuppressWarnings("rawtypes")
  void providerIsFoundByServiceLoaderUnderItsId() {
    List<String> ids = new ArrayList<>();
    for (RewardProvider p : ServiceLoader.load(RewardProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.contains("perplexity"), ids.toString());
  }
}
