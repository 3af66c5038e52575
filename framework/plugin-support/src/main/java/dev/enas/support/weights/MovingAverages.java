package dev.enas.support.weights;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch norm's moving statistics in the shared store: {@code <key>/moving_mean} and {@code <key>/moving_variance}
 * follow {@code moving = decay * moving + (1 - decay) * batch statistic} after each training step.
 */
public final class MovingAverages {
  public static final double DEFAULT_DECAY = 0.9;
  public static final double DEFAULT_EPSILON = 1e-5;

  private MovingAverages() {}

  /** Option {@code bn_decay}: 0.9 when unset ({@code null}), else in [0, 1). */
  public static double decay(Double value) {
    double d = value != null ? value : DEFAULT_DECAY;
    OptimizerSettings.require(d >= 0 && d < 1, "bn_decay", "must be in [0, 1), got " + d);
    return d;
  }

  /** Option {@code bn_epsilon}: 1e-5 when unset ({@code null}), else a finite value > 0. */
  public static double epsilon(Double value) {
    double e = value != null ? value : DEFAULT_EPSILON;
    OptimizerSettings.require(e > 0 && Double.isFinite(e), "bn_epsilon", "must be a finite value > 0, got " + e);
    return e;
  }

  /**
   * Updates the statistics of each key from one step's batch means and variances ({@code means[i]} belongs to
   * {@code keys.get(i)}); a key applied more than once in the step is updated once, with its statistics averaged.
   */
  public static void update(SharedWeights weights, List<ParamKey> keys, float[][] means, float[][] variances,
      double decay) {
    Map<ParamKey, float[][]> sums = new HashMap<>();
    Map<ParamKey, Integer> counts = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      float[][] s = sums.get(keys.get(i));
      if (s == null) {
        sums.put(keys.get(i), new float[][] {means[i].clone(), variances[i].clone()});
      } else {
        for (int j = 0; j < s[0].length; j++) {
          s[0][j] += means[i][j];
          s[1][j] += variances[i][j];
        }
      }
      counts.merge(keys.get(i), 1, Integer::sum);
    }
    float d = (float) decay;
    for (Map.Entry<ParamKey, float[][]> e : sums.entrySet()) {
      float n = counts.get(e.getKey());
      int channels = e.getValue()[0].length;
      float[] mean = state(weights, e.getKey().child("moving_mean"), channels, ParamSpec.Init.ZEROS);
      float[] var = state(weights, e.getKey().child("moving_variance"), channels, ParamSpec.Init.ONES);
      for (int j = 0; j < mean.length; j++) {
        mean[j] = d * mean[j] + (1 - d) * (e.getValue()[0][j] / n);
        var[j] = d * var[j] + (1 - d) * (e.getValue()[1][j] / n);
      }
    }
  }

  private static float[] state(SharedWeights weights, ParamKey key, int channels, ParamSpec.Init init) {
    return weights.entry(ParamSpec.state(key, TensorShape.of(channels), init)).values;
  }
}
