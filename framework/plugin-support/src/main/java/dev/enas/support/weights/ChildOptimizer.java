package dev.enas.support.weights;

import dev.enas.api.ir.ParamSpec;
import dev.enas.support.weights.OptimizerSettings.Clip;
import java.util.List;

/**
 * ENAS's child optimiser on the shared store: the gradient of λ·Σw² is added, gradients are clipped (really:
 * the authors' code computes the clipped gradients and then applies the unclipped ones), and SGD with (Nesterov)
 * momentum updates the values and momentum slots of exactly the tensors passed in.
 */
public final class ChildOptimizer {
  private final OptimizerSettings settings;

  public ChildOptimizer(OptimizerSettings settings) {
    this.settings = settings;
  }

  /**
   * One update. {@code grads[i]} is the loss gradient of {@code params.get(i)}; it is modified in place.
   *
   * @return the global norm of the gradients before clipping (including weight decay)
   */
  public double step(List<SharedWeights.Entry> params, float[][] grads, double learningRate) {
    boolean[] all = new boolean[grads.length];
    java.util.Arrays.fill(all, true);
    return step(params, grads, all, learningRate);
  }

  /** Which of these tensors weight decay applies to, in order ({@link ParamSpec#decayed}). */
  public static boolean[] decayed(List<ParamSpec> specs) {
    boolean[] d = new boolean[specs.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = specs.get(i).decayed();
    }
    return d;
  }

  /**
   * One update in which weight decay applies only to the tensors whose {@code decayed[i]} is set
   * ({@link ParamSpec#decayed}).
   *
   * @return the global norm of the gradients before clipping (including weight decay)
   */
  public double step(List<SharedWeights.Entry> params, float[][] grads, boolean[] decayed, double learningRate) {
    double[] norms = new double[grads.length];
    double total = 0;
    for (int i = 0; i < grads.length; i++) {
      double decay2 = decayed[i] ? 2 * settings.weightDecay() : 0;
      float[] g = grads[i];
      float[] w = params.get(i).values;
      double sq = 0;
      for (int j = 0; j < g.length; j++) {
        float gj = (float) (g[j] + decay2 * w[j]);
        g[j] = gj;
        sq += (double) gj * gj;
      }
      norms[i] = Math.sqrt(sq);
      total += sq;
    }
    double globalNorm = Math.sqrt(total);
    double bound = settings.clipBound();
    for (int i = 0; i < grads.length; i++) {
      double scale = 1;
      if (settings.clip() == Clip.GLOBAL_NORM && globalNorm > bound) {
        scale = bound / globalNorm;
      } else if (settings.clip() == Clip.PER_TENSOR_NORM && norms[i] > bound) {
        scale = bound / norms[i];
      }
      apply(params.get(i), grads[i], (float) scale, learningRate);
    }
    return globalNorm;
  }

  private void apply(SharedWeights.Entry p, float[] g, float scale, double learningRate) {
    float lr = (float) learningRate;
    float mu = (float) settings.momentum();
    float[] w = p.values;
    float[] v = p.momentum;
    if (mu == 0) {
      for (int j = 0; j < g.length; j++) {
        w[j] -= lr * (g[j] * scale);
      }
    } else if (settings.nesterov()) {
      // TensorFlow's Nesterov form: v = mu v + g; w -= lr (g + mu v).
      for (int j = 0; j < g.length; j++) {
        float gj = g[j] * scale;
        float vj = mu * v[j] + gj;
        v[j] = vj;
        w[j] -= lr * (gj + mu * vj);
      }
    } else {
      for (int j = 0; j < g.length; j++) {
        float vj = mu * v[j] + g[j] * scale;
        v[j] = vj;
        w[j] -= lr * vj;
      }
    }
  }
}
