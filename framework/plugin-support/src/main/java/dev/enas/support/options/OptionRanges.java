package dev.enas.support.options;

import dev.enas.api.plugin.OptionException;

/** Range checks for integer options, with the one message form the validation pass reports (option, range, value). */
public final class OptionRanges {
  private OptionRanges() {}

  /** Refuses a value outside {@code [min, max]}. */
  public static void range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new OptionException(name, "must be in [" + min + ", " + max + "], got " + value);
    }
  }

  /** A value in {@code [0, max]} where 0 means {@code fallback}; the checked value or the fallback. */
  public static int orDefault(String name, int value, int fallback, int max) {
    if (value < 0 || value > max) {
      throw new OptionException(name, "must be in [0, " + max + "] (0 for " + fallback + "), got " + value);
    }
    return value == 0 ? fallback : value;
  }
}
