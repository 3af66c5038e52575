package dev.enas.runtime.bench;

import dev.enas.api.controller.Controller;
import java.util.Locale;

/** Measures how long a controller takes to sample one architecture. */
public final class ControllerBench {
  private ControllerBench() {}

  /** Microseconds per sample, after {@code warmup} untimed samples. */
  public static double microsPerSample(Controller c, int samples, int warmup) {
    for (int i = 0; i < warmup; i++) {
      c.sample();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < samples; i++) {
      c.sample();
    }
    return (System.nanoTime() - t0) / 1e3 / samples;
  }

  public static String format(String controller, String space, double micros, int samples) {
    return String.format(Locale.ROOT, "controller %s on %s: %.1f us per sampled architecture (%d samples)", controller,
        space, micros, samples);
  }
}
