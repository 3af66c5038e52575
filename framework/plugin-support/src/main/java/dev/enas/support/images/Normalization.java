package dev.enas.support.images;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation on the [0, 1] pixel scale: a pixel {@code b} becomes
 * {@code (b / 255 - mean) / std}.
 */
public record Normalization(float[] mean, float[] std) {

  /** Leaves pixels in [0, 1]. */
  public static Normalization none(int channels) {
    float[] zero = new float[channels];
    float[] one = new float[channels];
    Arrays.fill(one, 1f);
    return new Normalization(zero, one);
  }

  /** Values from the options, checked against the number of channels. */
  public static Normalization given(float[] mean, float[] std, int channels) {
    if (mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("normalization.mean and normalization.std need " + channels
          + " value(s) each (one per channel), got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0) || Float.isInfinite(s)) {
        throw new IllegalArgumentException("normalization.std values must be positive and finite, got "
            + Arrays.toString(std));
      }
    }
    for (float m : mean) {
      if (!Float.isFinite(m)) {
        throw new IllegalArgumentException("normalization.mean values must be finite, got " + Arrays.toString(mean));
      }
    }
    return new Normalization(mean.clone(), std.clone());
  }

  /** Measured over the given examples (the training split), so validation and test data never leak in. */
  static Normalization measure(ImageRecords records, int[] examples) {
    int c = records.channels();
    int size = records.exampleBytes();
    double[] sum = new double[c];
    double[] sumSq = new double[c];
    byte[] px = records.pixels();
    for (int e : examples) {
      int base = e * size;
      for (int i = 0; i < size; i++) {
        double v = (px[base + i] & 0xff) / 255.0;
        sum[i % c] += v;
        sumSq[i % c] += v * v;
      }
    }
    double n = (double) examples.length * (size / c);
    float[] mean = new float[c];
    float[] std = new float[c];
    for (int k = 0; k < c; k++) {
      double m = sum[k] / n;
      double sd = Math.sqrt(Math.max(0, sumSq[k] / n - m * m));
      mean[k] = (float) m;
      // A constant channel carries no information; dividing by 1 keeps it finite.
      std[k] = sd > 1e-6 ? (float) sd : 1f;
    }
    return new Normalization(mean, std);
  }

  /** {@code table[channel][byte]}: the normalised value of every possible pixel. */
  float[][] table() {
    float[][] t = new float[mean.length][256];
    for (int k = 0; k < mean.length; k++) {
      for (int b = 0; b < 256; b++) {
        t[k][b] = (b / 255f - mean[k]) / std[k];
      }
    }
    return t;
  }
}
