package dev.enas.support.images;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The order in which one split's examples are read: pass after pass, each pass a fresh permutation
 * drawn from (seed, split, pass), so batch {@code i} is a pure function of its number.
 *
 * <p>Two ways to cut passes into batches. A stream ({@code exactPasses == false}, used for training
 * and validation) runs the passes end to end, so every batch is full and a batch may straddle two
 * passes. Exact passes (used for the test split) make pass {@code p} the batches
 * {@code [p * n, (p + 1) * n)} with {@code n = ceil(size / batchSize)}, the last one smaller, so one
 * pass scores every test example exactly once.
 */
final class BatchOrder {
  private static final int CACHED_PASSES = 2;

  private final int[] members;
  private final long seed;
  private final boolean exactPasses;
  private final Map<Long, int[]> permutations = new LinkedHashMap<>(4, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
      return size() > CACHED_PASSES;
    }
  };

  /**
   * @param members the split's examples, as indices into their records
   * @param seed already mixed with the split, so splits get unrelated orders
   */
  BatchOrder(int[] members, long seed, boolean exactPasses) {
    this.members = members.clone();
    this.seed = seed;
    this.exactPasses = exactPasses;
  }

  int size() {
    return members.length;
  }

  /** The record indices of batch {@code index}. */
  int[] batch(long index, int batchSize) {
    int n = members.length;
    if (exactPasses) {
      long perPass = (n + (long) batchSize - 1) / batchSize;
      long pass = index / perPass;
      int from = (int) (index % perPass) * batchSize;
      int to = Math.min(n, from + batchSize);
      int[] perm = permutation(pass);
      int[] out = new int[to - from];
      for (int j = from; j < to; j++) {
        out[j - from] = members[perm[j]];
      }
      return out;
    }
    long start = Math.multiplyExact(index, (long) batchSize);
    int[] out = new int[batchSize];
    long pass = -1;
    int[] perm = null;
    for (int j = 0; j < batchSize; j++) {
      long position = start + j;
      if (position / n != pass) {
        pass = position / n;
        perm = permutation(pass);
      }
      out[j] = members[perm[(int) (position % n)]];
    }
    return out;
  }

  private synchronized int[] permutation(long pass) {
    return permutations.computeIfAbsent(pass, p -> shuffled(members.length, Seeds.mix(seed, p)));
  }

  /** Fisher-Yates over {@code 0..n-1}. */
  private static int[] shuffled(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }
}
