package dev.enas.runtime.search;

import dev.enas.proto.Event;
import java.util.List;
import java.util.Locale;

/**
 * Where a search's epochs spend their time: the shared phase (training children on the shared weights), the
 * controller phase (sampling, scoring on validation batches, the controller's update) and checkpoints.
 */
public final class EpochTimeSplit {
  private int epochs;
  private double shared;
  private double controller;
  private double checkpoints;

  /** Adds one epoch: its phases and the checkpoint written after it (0 when none). */
  public void add(double sharedSeconds, double controllerSeconds, double checkpointSeconds) {
    epochs++;
    shared += sharedSeconds;
    controller += controllerSeconds;
    checkpoints += checkpointSeconds;
  }

  /**
   * The split recorded in a run's events. A checkpoint's time is logged with the next epoch, so the checkpoint after
   * the last logged epoch (and any taken before a resume) is not counted.
   */
  public static EpochTimeSplit of(List<Event> events) {
    EpochTimeSplit split = new EpochTimeSplit();
    for (Event e : events) {
      if (e.hasEpochEnd()) {
        split.epochs++;
        split.shared += e.getEpochEnd().getSharedSeconds();
        split.controller += e.getEpochEnd().getControllerSeconds();
        split.checkpoints += e.getEpochEnd().getPreviousCheckpointSeconds();
      }
    }
    return split;
  }

  public int epochs() {
    return epochs;
  }

  public double sharedSeconds() {
    return shared;
  }

  public double controllerSeconds() {
    return controller;
  }

  public double checkpointSeconds() {
    return checkpoints;
  }

  /** {@code 3 epochs: shared 90.1 s (70%), controller 35.2 s (27%), checkpoints 3.9 s (3%); per epoch 43.1 s}. */
  @Override
  public String toString() {
    double total = shared + controller + checkpoints;
    return String.format(Locale.ROOT, "%d epoch%s: shared %.1f s (%.0f%%), controller %.1f s (%.0f%%), checkpoints "
        + "%.1f s (%.0f%%); per epoch %.1f s", epochs, epochs == 1 ? "" : "s", shared, percent(shared, total),
        controller, percent(controller, total), checkpoints, percent(checkpoints, total),
        epochs == 0 ? 0 : total / epochs);
  }

  private static double percent(double part, double total) {
    return total > 0 ? 100 * part / total : 0;
  }
}
