package dev.enas.sweep.summary;

import java.util.List;

/**
 * The mean of a sample with the half-width of its two-sided 95% confidence interval from Student's t distribution
 * ({@code t(0.975, n-1) * s / sqrt(n)}) and the sample standard deviation s; both are NaN for fewer than two values.
 */
public record MeanInterval(int n, double mean, double halfWidth, double sd) {
  /** t(0.975, df) for df = 1..30. */
  private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
      2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
      2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  private static final double Z975 = 1.959963984540054;

  public static MeanInterval of(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / n;
    if (n < 2) {
      return new MeanInterval(n, mean, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    return new MeanInterval(n, mean, t975(n - 1) * sd / Math.sqrt(n), sd);
  }

  /**
   * The 97.5% quantile of Student's t with {@code df} degrees of freedom: tabulated to 30, then the Cornish-Fisher
   * expansion around the normal quantile (error below 1e-4 there).
   */
  static double t975(int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be positive: " + df);
    }
    if (df <= T975.length) {
      return T975[df - 1];
    }
    double z = Z975;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df);
  }
}
