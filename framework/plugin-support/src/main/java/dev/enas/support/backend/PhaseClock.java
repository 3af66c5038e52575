package dev.enas.support.backend;

import dev.enas.api.backend.StepProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a backend's training steps while it profiles ({@link dev.enas.api.backend.Backend#startProfile}): each
 * step is timed as a sequence of phases ({@link #lap}: the time since the previous lap), and the engine's ops are
 * added by type ({@link #op}). Not thread-safe: backends step under their own lock.
 */
public final class PhaseClock {
  private final Map<String, double[]> phases = new LinkedHashMap<>();
  private final Map<String, double[]> ops = new HashMap<>();
  private int steps;
  private int opSteps;
  private boolean recordingOps;
  private long mark;

  /**
   * Starts a step's first phase now. Steps alternate: one is timed by phase, the next records the engine's ops
   * ({@link #recordingOps}), so that what recording ops costs does not show in the phases.
   */
  public void start() {
    recordingOps = !recordingOps;
    mark = System.nanoTime();
  }

  /** Whether this step records the engine's ops (and its phases are not timed). */
  public boolean recordingOps() {
    return recordingOps;
  }

  /** Ends the current phase, naming it, and starts the next. */
  public void lap(String phase) {
    long now = System.nanoTime();
    if (!recordingOps) {
      add(phases, phase, (now - mark) / 1e6, 1);
    }
    mark = now;
  }

  /** Adds an engine op type's time and run count. */
  public void op(String type, double millis, long count) {
    add(ops, type, millis, count);
  }

  /** Counts a finished step. */
  public void stepDone() {
    if (recordingOps) {
      opSteps++;
    } else {
      steps++;
    }
  }

  /** What was recorded: phases in first-seen order, op types largest first. */
  public StepProfile result(String note) {
    List<StepProfile.Row> opRows = new ArrayList<>(rows(ops));
    opRows.sort(Comparator.comparingDouble(StepProfile.Row::millis).reversed());
    return new StepProfile(steps, rows(phases), opSteps, opRows, note);
  }

  private static List<StepProfile.Row> rows(Map<String, double[]> m) {
    List<StepProfile.Row> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new StepProfile.Row(k, v[0], (long) v[1])));
    return out;
  }

  private static void add(Map<String, double[]> m, String key, double millis, long count) {
    double[] v = m.computeIfAbsent(key, k -> new double[2]);
    v[0] += millis;
    v[1] += count;
  }
}
