package dev.enas.support.images;

import dev.enas.support.random.SplitMix64;

/**
 * Derives independent random streams from the run seed, so that every random choice of the dataset
 * is a pure function of its coordinates (purpose, split, pass or batch index) and a resumed run
 * draws exactly what an uninterrupted one would.
 */
final class Seeds {
  /** Which random stream a seed is for. */
  static final long HOLDOUT = 1;
  static final long ORDER = 2;
  static final long AUGMENT = 3;

  private Seeds() {}

  /** A well-mixed seed for the given coordinates. */
  static long mix(long seed, long... coordinates) {
    long h = splitMix(seed);
    for (long c : coordinates) {
      h = splitMix(h ^ splitMix(c));
    }
    return h;
  }

  /** SplitMix64's output for a state: nearby inputs give unrelated outputs. */
  private static long splitMix(long z) {
    return SplitMix64.mix(z);
  }
}
