package dev.enas.sweep.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.AxisValue;
import dev.enas.proto.SweepIndex;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialResult;
import dev.enas.proto.TrialStatus;
import org.junit.jupiter.api.Test;

class SweepSummaryTest {
  private static Trial trial(String controller, String seed, TrialStatus s, double reward) {
    return Trial.newBuilder().setId(controller + seed)
        .addValues(AxisValue.newBuilder().setPath("controller.id").setValue(controller))
        .addValues(AxisValue.newBuilder().setPath("seed").setValue(seed)).setStatus(s)
        .setResult(s == TrialStatus.TRIAL_FINISHED ? TrialResult.newBuilder().setFinalReward(reward)
            .setWallSeconds(10).setChildSteps(6).build() : TrialResult.getDefaultInstance())
        .build();
  }

  private static final SweepIndex INDEX = SweepIndex.newBuilder().setName("s")
      .addTrial(trial("reinforce", "1", TrialStatus.TRIAL_FINISHED, 0.2))
      .addTrial(trial("reinforce", "2", TrialStatus.TRIAL_FINISHED, 0.4))
      .addTrial(trial("random", "1", TrialStatus.TRIAL_FINISHED, 0.1))
      .addTrial(trial("random", "2", TrialStatus.TRIAL_FAILED, 0)).build();

  @Test
  void oneRowPerGroupOverItsFinishedTrials() {
    SweepSummary s = SweepSummary.of(INDEX);
    assertEquals(2, s.rows().size());
    SweepSummary.Row reinforce = s.rows().get(0);
    assertEquals("reinforce", reinforce.group().get(0).getValue());
    assertEquals(0.3, reinforce.metrics().get("final_reward").mean(), 1e-12);
    // t(0.975, 1) * s / sqrt(2) with s = 0.1414: 12.706 * 0.1
    assertEquals(1.2706, reinforce.metrics().get("final_reward").halfWidth(), 1e-3);
    SweepSummary.Row random = s.rows().get(1);
    assertEquals(1, random.finished());
    assertEquals(1, random.failed());
    assertEquals(1, random.metrics().get("final_reward").n());
  }

  @Test
  void csvAndMarkdownShowOnlyMetricsTheTrialsHave() {
    SweepSummary s = SweepSummary.of(INDEX);
    String csv = s.csv();
    assertTrue(csv.startsWith("controller.id,trials,finished,failed,final_reward_n,final_reward_mean,"
        + "final_reward_ci95,final_reward_sd,wall_seconds_n"), csv);
    assertTrue(csv.contains("\nreinforce,2,2,0,2,0.300000,1.27062,0.141421,"), csv);
    assertTrue(!csv.contains("test_accuracy"), "no trial was retrained: " + csv);
    String md = s.markdown("s");
    assertTrue(md.contains("| reinforce | 2 | 2 | 0 | 0.300000 ± 1.27"), md);
    assertTrue(md.contains("| random | 2 | 1 | 1 | 0.100000 |"), md);
  }

  @Test
  void trialsThatTrainedAGivenArchitectureShowValidationAndTestButNoSearch() {
    TrialResult lm = TrialResult.newBuilder().setValidPerplexity(120).setTestPerplexity(115).setWallSeconds(50)
        .build();
    SweepIndex index = SweepIndex.newBuilder().setName("lm").addTrial(Trial.newBuilder().setId("t000")
        .addValues(AxisValue.newBuilder().setPath("seed").setValue("1")).setStatus(TrialStatus.TRIAL_FINISHED)
        .setResult(lm)).build();
    String csv = SweepSummary.of(index).csv();
    assertTrue(csv.startsWith("trials,finished,failed,valid_perplexity_n,valid_perplexity_mean,valid_perplexity_ci95,"
        + "valid_perplexity_sd,test_perplexity_n"), csv);
    assertTrue(!csv.contains("child_steps") && !csv.contains("final_reward"), "it did not search: " + csv);
  }
}
