package dev.enas.support.optim;

import java.util.List;

/**
 * Adam in the form TensorFlow's {@code AdamOptimizer} uses (the authors' code): the bias correction
 * is folded into the step size and epsilon is added to the uncorrected root of the second moment.
 */
public final class Adam {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[][] m;
  private final double[][] v;
  private long step;

  /**
   * @param shapes one array per parameter tensor; only their lengths are used
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon, List<double[]> shapes) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new double[shapes.size()][];
    this.v = new double[shapes.size()][];
    for (int i = 0; i < shapes.size(); i++) {
      m[i] = new double[shapes.get(i).length];
      v[i] = new double[shapes.get(i).length];
    }
  }

  /** One descent step on {@code params} with {@code grads} (same tensors, same order). */
  public void apply(List<double[]> params, List<double[]> grads) {
    step++;
    double lr = learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
    for (int t = 0; t < params.size(); t++) {
      double[] p = params.get(t);
      double[] g = grads.get(t);
      double[] mt = m[t];
      double[] vt = v[t];
      for (int i = 0; i < p.length; i++) {
        mt[i] = beta1 * mt[i] + (1 - beta1) * g[i];
        vt[i] = beta2 * vt[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= lr * mt[i] / (Math.sqrt(vt[i]) + epsilon);
      }
    }
  }

  /** The first moments, one array per tensor; live state, written to when a checkpoint is restored. */
  public double[][] firstMoments() {
    return m;
  }

  /** The second moments, one array per tensor; live state like {@link #firstMoments()}. */
  public double[][] secondMoments() {
    return v;
  }

  /** The number of steps taken, which sets the bias correction. */
  public long step() {
    return step;
  }

  /** Restores the step count from a checkpoint. */
  public void setStep(long step) {
    this.step = step;
  }
}
