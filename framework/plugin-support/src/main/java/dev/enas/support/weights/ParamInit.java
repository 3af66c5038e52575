package dev.enas.support.weights;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Initial values of shared tensors, drawn from a generator seeded by (seed, key) alone, so a tensor's value does
 * not depend on which children were sampled before it first appeared.
 */
public final class ParamInit {
  private ParamInit() {}

  public static float[] values(ParamSpec spec, long seed) {
    int[] dims = spec.shape().dims();
    int n = Math.toIntExact(spec.shape().size());
    float[] v = new float[n];
    switch (spec.init()) {
      case ZEROS -> { }
      case ONES -> java.util.Arrays.fill(v, 1f);
      case UNIFORM_SMALL -> {
        SplittableRandom rng = generator(seed, spec.key());
        for (int i = 0; i < n; i++) {
          v[i] = (float) (rng.nextDouble() * 0.1 - 0.05);
        }
      }
      case HE_NORMAL -> {
        long fanIn = 1;
        for (int i = 0; i < dims.length - 1; i++) {
          fanIn *= dims[i];
        }
        double std = Math.sqrt(2.0 / Math.max(1, fanIn));
        SplittableRandom rng = generator(seed, spec.key());
        for (int i = 0; i < n; i++) {
          v[i] = (float) (rng.nextGaussian() * std);
        }
      }
      default -> throw new IllegalArgumentException("unknown initialiser " + spec.init() + " for " + spec.key());
    }
    return v;
  }

  /** A generator whose stream depends only on the seed and the key's text (FNV-1a, then SplittableRandom's mixing). */
  public static SplittableRandom generator(long seed, ParamKey key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.value().getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return new SplittableRandom(new SplittableRandom(seed ^ h).nextLong() + h);
  }
}
