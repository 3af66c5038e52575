package dev.enas.plugins.controller.reinforce;

/**
 * The SplitMix64 generator. Its whole state is one {@code long}, so a controller can save and
 * restore its random stream exactly, which {@link java.util.SplittableRandom} does not allow.
 */
final class SplitMix64 {
  private static final long GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long state() {
    return state;
  }

  void setState(long state) {
    this.state = state;
  }

  long nextLong() {
    long z = state += GAMMA;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
