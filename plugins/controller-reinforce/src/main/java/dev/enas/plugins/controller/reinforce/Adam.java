package dev.enas.plugins.controller.reinforce;

import java.util.List;

/**
 * Adam in the form TensorFlow's {@code AdamOptimizer} uses (the authors' code): the bias correction
 * is folded into the step size and epsilon is added to the uncorrected root of the second moment.
 */
final class Adam {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  final double[][] m;
  final double[][] v;
  long step;

  Adam(double learningRate, double beta1, double beta2, double epsilon, List<double[]> shapes) {
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
  void apply(List<double[]> params, List<double[]> grads) {
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
}
