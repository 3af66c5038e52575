package dev.enas.plugins.reward.composite;

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

class CompositeRewardTest {
  private static RewardFunction reward(CompositeRewardOptions.Builder options) {
    return new CompositeRewardProvider().create(options.build());
  }

  private static CompositeRewardOptions.Builder options() {
    return CompositeRewardOptions.newBuilder();
  }

  @Test
  void withoutPenaltiesItIsTheAccuracy() {
    RewardFunction r = reward(options());
    assertEquals(0.75, r.reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)), 1e-12);
    assertEquals(r.reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)),
        reward(CompositeRewardOptions.newBuilder(new CompositeRewardProvider().defaultOptions()))
            .reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)), 1e-12);
  }

  @Test
  void parametersArePenalisedPerMillion() {
    RewardFunction r = reward(options().setParamsPenaltyPerMillion(0.01));
    assertEquals(0.75 - 0.046, r.reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)), 1e-12);
  }

  @Test
  void latencyIsPenalisedPerMillisecond() {
    RewardFunction r = reward(options().setLatencyPenaltyPerMs(0.002));
    assertEquals(0.75 - 0.07, r.reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)), 1e-12);
  }

  @Test
  void bothPenaltiesAddUp() {
    RewardFunction r = reward(options().setParamsPenaltyPerMillion(0.01).setLatencyPenaltyPerMs(0.002));
    assertEquals(0.75 - 0.046 - 0.07, r.reward(new ChildMetrics(0.9, 0.75, 4_600_000, 35)), 1e-12);
  }

  @Test
  void smallerChildWinsAtEqualAccuracy() {
    RewardFunction r = reward(options().setParamsPenaltyPerMillion(0.02));
    assertTrue(r.reward(new ChildMetrics(0.5, 0.9, 1_000_000, 10)) > r.reward(new ChildMetrics(0.5, 0.9, 3_000_000, 10)));
  }

  @Test
  void inversePerplexityBaseUsesC() {
    RewardFunction r = reward(options().setBase(CompositeRewardOptions.Base.INVERSE_PERPLEXITY)
        .setParamsPenaltyPerMillion(0.1));
    assertEquals(80.0 / 100 - 2.4, r.reward(new ChildMetrics(Math.log(100), 0.2, 24_000_000, 5)), 1e-12);
    RewardFunction c40 = reward(options().setBase(CompositeRewardOptions.Base.INVERSE_PERPLEXITY).setC(40));
    assertEquals(0.4, c40.reward(new ChildMetrics(Math.log(100), 0.2, 24_000_000, 5)), 1e-12);
  }

  @Test
  void unsetPenaltiesIgnoreUnmeasuredLatency() {
    assertEquals(0.5, reward(options()).reward(new ChildMetrics(1, 0.5, 10, Double.NaN)), 1e-12);
  }

  @Test
  void unmeasuredLatencyIsRefusedWhenPenalised() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reward(options().setLatencyPenaltyPerMs(0.1)).reward(new ChildMetrics(1, 0.5, 10, Double.NaN)));
    assertTrue(e.getMessage().contains("latency must be a finite number"), e.getMessage());
  }

  @Test
  void badOptionsAreRefusedWithTheOptionName() {
    assertRefused(options().setParamsPenaltyPerMillion(-0.01), "option params_penalty_per_million of reward composite"
        + " must be a finite number >= 0, got -0.01");
    assertRefused(options().setLatencyPenaltyPerMs(Double.NaN), "option latency_penalty_per_ms");
    assertRefused(options().setBase(CompositeRewardOptions.Base.INVERSE_PERPLEXITY).setC(-80),
        "option c of reward composite must be a positive finite number, got -80.0");
    assertRefused(options().setC(80), "applies only to base INVERSE_PERPLEXITY, but base is ACCURACY");
    assertRefused(options().setBaseValue(7), "must be ACCURACY or INVERSE_PERPLEXITY");
  }

  private static void assertRefused(CompositeRewardOptions.Builder options, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reward(options));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  @SuppressWarnings("rawtypes")
  void providerIsFoundByServiceLoaderUnderItsId() {
    List<String> ids = new ArrayList<>();
    for (RewardProvider p : ServiceLoader.load(RewardProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.contains("composite"), ids.toString());
  }
}
