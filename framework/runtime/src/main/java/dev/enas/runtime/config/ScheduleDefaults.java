package dev.enas.runtime.config;

import dev.enas.proto.Schedule;

/** Fills unset schedule fields with the authors' micro-search settings (reference §4–5), scaled by nothing. */
public final class ScheduleDefaults {
  private ScheduleDefaults() {}

  public static Schedule apply(Schedule s) {
    Schedule.Builder b = s.toBuilder();
    if (s.getEpochs() == 0) {
      b.setEpochs(150);
    }
    if (s.getChildBatchSize() == 0) {
      b.setChildBatchSize(160);
    }
    if (s.getControllerUpdatesPerEpoch() == 0) {
      b.setControllerUpdatesPerEpoch(30);
    }
    if (s.getControllerSamplesPerUpdate() == 0) {
      b.setControllerSamplesPerUpdate(10);
    }
    if (s.getEvalBatchSize() == 0) {
      b.setEvalBatchSize(s.getChildBatchSize() == 0 ? 160 : s.getChildBatchSize());
    }
    if (s.getLrMax() == 0) {
      b.setLrMax(0.05);
    }
    if (s.getLrMin() == 0) {
      b.setLrMin(0.0005);
    }
    if (s.getLrT0() == 0) {
      b.setLrT0(10);
    }
    if (s.getLrTMul() == 0) {
      b.setLrTMul(2);
    }
    if (s.getCheckpointEveryEpochs() == 0) {
      b.setCheckpointEveryEpochs(1);
    }
    if (s.getDeriveSamples() == 0) {
      b.setDeriveSamples(100);
    }
    Schedule out = b.build();
    check(out.getEpochs() > 0, "schedule.epochs must be positive");
    check(out.getChildStepsPerEpoch() >= 0, "schedule.child_steps_per_epoch must be >= 0 (0 = one pass)");
    check(out.getChildBatchSize() > 0, "schedule.child_batch_size must be positive");
    check(out.getControllerUpdatesPerEpoch() >= 0, "schedule.controller_updates_per_epoch must be >= 0");
    check(out.getControllerSamplesPerUpdate() > 0, "schedule.controller_samples_per_update must be positive");
    check(out.getLrMax() >= out.getLrMin() && out.getLrMin() >= 0, "schedule needs 0 <= lr_min <= lr_max");
    check(out.getLrT0() > 0 && out.getLrTMul() >= 1, "schedule needs lr_t0 > 0 and lr_t_mul >= 1");
    return out;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }
}
