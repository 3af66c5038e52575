package dev.enas.runtime.search;

import dev.enas.proto.Schedule;

/**
 * Cosine learning rate with warm restarts (SGDR), counted in epochs: lr = lmin + ½(lmax − lmin)(1 + cos(π·Tcur/Ti)),
 * with the first cycle T0 epochs long and each next one Tmul times longer, as in the authors' code.
 */
public final class LearningRateSchedule {
  private final double max;
  private final double min;
  private final double t0;
  private final double tMul;

  public LearningRateSchedule(double max, double min, double t0, double tMul) {
    this.max = max;
    this.min = min;
    this.t0 = t0;
    this.tMul = tMul;
  }

  public static LearningRateSchedule of(Schedule s) {
    return new LearningRateSchedule(s.getLrMax(), s.getLrMin(), s.getLrT0(), s.getLrTMul());
  }

  /** The rate at a fractional epoch, e.g. 3.5 is half-way through the fourth epoch. */
  public double at(double epoch) {
    double t = epoch;
    double ti = t0;
    while (t >= ti) {
      t -= ti;
      ti *= tMul;
    }
    return min + 0.5 * (max - min) * (1 + Math.cos(Math.PI * t / ti));
  }
}
