package dev.enas.api.backend;

import java.util.List;

/**
 * Where the time of a backend's training steps went while it was profiling ({@link Backend#startProfile}): the
 * phases of a step as the backend sees them (they add up to the step), and the engine's own kernels or ops by type
 * (what the engine reports; they overlap the phases and may not add up, e.g. where ops run in parallel).
 *
 * @param steps the training steps whose phases were timed
 * @param phases the step's phases, in order, summed over {@code steps}
 * @param opSteps the training steps whose ops were recorded (a backend may record them on other steps than it times,
 *     when recording ops slows the step)
 * @param ops the engine's ops by type, largest first, summed over {@code opSteps}
 * @param note how the numbers were taken (what the recording itself costs, what is not counted)
 */
public record StepProfile(int steps, List<Row> phases, int opSteps, List<Row> ops, String note) {

  /** One phase or op type: its total time over the recorded steps and how often it ran. */
  public record Row(String name, double millis, long count) {}

  public StepProfile {
    phases = List.copyOf(phases);
    ops = List.copyOf(ops);
  }
}
