package dev.enas.runtime.config;

import dev.enas.proto.Schedule;

/**
 * Fills unset schedule fields with the authors' micro-search settings (reference §4–5), scaled by nothing. A negative
 * value is kept, for {@link ConfigValidator} to refuse with its line.
 */
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
    return b.build();
  }
}
