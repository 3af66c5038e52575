package dev.enas.support.policy;

import dev.enas.api.controller.ScoredSample;
import dev.enas.api.schema.DecisionSchema;
import java.util.List;

/** Checks a controller update's batch before any state changes: finite rewards, samples of the controller's own schema. */
public final class ScoredBatches {
  private ScoredBatches() {}

  /**
   * Throws {@link IllegalArgumentException} naming the controller when a reward is not finite or a sample
   * belongs to another decision schema.
   */
  public static void requireValid(List<ScoredSample> batch, DecisionSchema schema, String controller) {
    for (ScoredSample scored : batch) {
      if (!Double.isFinite(scored.reward())) {
        throw new IllegalArgumentException(controller + " controller got a non-finite reward " + scored.reward());
      }
      if (!scored.sample().architecture().schema().equals(schema)) {
        throw new IllegalArgumentException(controller + " controller got a sample of another decision schema");
      }
    }
  }
}
