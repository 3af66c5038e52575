package dev.enas.runtime.wiring;

import java.nio.charset.StandardCharsets;

/** Derives independent seeds for each part of a run from the one run seed, so adding a consumer never shifts another's stream. */
public final class Seeds {
  private Seeds() {}

  public static long derive(long seed, String purpose) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h + b);
    }
    return mix(h);
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
