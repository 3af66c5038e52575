package dev.enas.plugins.dataset.ptb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * enas_lm's random BPTT lengths over the rows of one split cut for one batch size: pass {@code p} over the rows is cut
 * into consecutive windows whose lengths come from a generator seeded by (seed, p), each the nominal length (95%) or
 * half of it (5%) plus 5 times a standard normal truncated at 2, at most nominal + 20 (as enas_lm's
 * {@code input_producer(random_len=True)}), optionally rounded to a multiple; the last window takes what is left.
 * Windows are numbered on across passes, so window {@code i} is a pure function of (seed, rows, i): a resumed run
 * reads the same windows.
 */
final class RandomWindows {
  /** One window: where it starts in each row, how many tokens, whether it is its pass's first. */
  record Window(int start, int length, boolean first) {}

  private final long seed;
  private final int steps;
  private final int multiple;
  private final int row;
  /** The global index of each pass's first window; the last element is where the next uncut pass starts. */
  private final List<Long> passStarts = new ArrayList<>(List.of(0L));
  private long cachedPass = -1;
  private int[] cachedStarts;

  /**
   * @param steps the nominal length
   * @param multiple lengths are rounded to a multiple of this (1: as drawn)
   * @param row tokens per row; windows cover positions [0, row - 1), each input's target one further on
   */
  RandomWindows(long seed, int steps, int multiple, int row) {
    this.seed = seed;
    this.steps = steps;
    this.multiple = multiple;
    this.row = row;
  }

  /** Window {@code index}, counting on across passes. */
  synchronized Window at(long index) {
    while (passStarts.get(passStarts.size() - 1) <= index) {
      long pass = passStarts.size() - 1;
      passStarts.add(passStarts.get((int) pass) + starts(pass).length - 1);
    }
    int found = java.util.Collections.binarySearch(passStarts, index);
    int pass = found >= 0 ? found : -found - 2;
    int[] starts = starts(pass);
    int w = (int) (index - passStarts.get(pass));
    return new Window(starts[w], starts[w + 1] - starts[w], w == 0);
  }

  /** The windows' starts in pass {@code pass}, then the end of its last window (row - 1). */
  private int[] starts(long pass) {
    if (pass == cachedPass) {
      return cachedStarts;
    }
    SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (pass + 1)));
    int[] starts = new int[16];
    int n = 0;
    int at = 0;
    while (at < row - 1) {
      if (n + 1 >= starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
      }
      starts[n++] = at;
      at += Math.min(length(rng), row - 1 - at);
    }
    starts[n++] = at;
    cachedPass = pass;
    cachedStarts = Arrays.copyOf(starts, n);
    return cachedStarts;
  }

  /** One drawn length, as enas_lm draws it (then rounded to the multiple), at least 1. */
  int length(SplittableRandom rng) {
    double base = rng.nextDouble() < 0.95 ? steps : steps / 2.0;
    double z;
    do {
      z = rng.nextGaussian();
    } while (Math.abs(z) > 2);
    int len = Math.min((int) (base + 5 * z), steps + 20);
    if (multiple > 1) {
      len = (int) Math.round(len / (double) multiple) * multiple;
    }
    return Math.max(Math.max(1, multiple), len);
  }
}
