package dev.enas.support.random;

/**
 * The SplitMix64 generator. Its whole state is one {@code long}, so a controller can save and
 * restore its random stream exactly, which {@link java.util.SplittableRandom} does not allow.
 */
public final class SplitMix64 {
  private static final long GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  /** A generator whose state is {@code seed}. */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The whole state, for a checkpoint. */
  public long state() {
    return state;
  }

  /** Restores a state from {@link #state()}. */
  public void setState(long state) {
    this.state = state;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GAMMA;
    return finish(state);
  }

  /**
   * What {@code new SplitMix64(state).nextLong()} returns, without a generator: a hash under which
   * nearby inputs give unrelated outputs, for deriving independent seeds.
   */
  public static long mix(long state) {
    return finish(state + GAMMA);
  }

  /** The SplitMix64 finaliser. */
  private static long finish(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
