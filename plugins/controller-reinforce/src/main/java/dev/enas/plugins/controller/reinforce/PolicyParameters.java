package dev.enas.plugins.controller.reinforce;

import dev.enas.support.random.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The controller's weights (or, with the same shapes, their gradients). Every matrix that
 * multiplies a vector is stored input-major and one array per row (row k holds what input k
 * contributes to every output): the forward pass is then a sum of axpy loops over whole arrays,
 * which the JIT vectorises; it does not when the rows are slices of one array at run-time offsets.
 */
final class PolicyParameters {
  final int hidden;
  /** LSTM weights, 2H rows of 4H: rows 0..H-1 take the input x, rows H..2H-1 the previous h; gates i, f, o, g. */
  final double[][] lstm;
  /** The first LSTM input, {@code g_emb}. */
  final double[] gEmb;
  /** Per layer group: op embeddings, one row of H per op. */
  final double[][][] embedding;
  /** Per layer group: output projection, one row of H per op (logit_o = row_o . h). */
  final double[][][] softmax;
  /** Per layer group: learnable op-logit bias. */
  final double[][] softmaxBias;
  /** Attention key projection W_prev, H rows of H. */
  final double[][] attnPrev;
  /** Attention query projection W_curr, H rows of H. */
  final double[][] attnCurr;
  /** Attention vector v. */
  final double[] attnV;
  /** Per choice point: a vector added to the input of the step that makes it (no rows unless enabled). */
  final double[][] choiceEmbedding;

  private final List<double[]> tensors = new ArrayList<>();
  private final StringBuilder layout = new StringBuilder();

  /** @param choicePoints number of choice embeddings (0 when the option is off) */
  PolicyParameters(int hidden, List<String> groups, int[] groupSizes, int choicePoints) {
    this.hidden = hidden;
    int h = hidden;
    lstm = matrix("lstm", 2 * h, 4 * h);
    gEmb = matrix("g_emb", 1, h)[0];
    embedding = new double[groupSizes.length][][];
    softmax = new double[groupSizes.length][][];
    softmaxBias = new double[groupSizes.length][];
    for (int g = 0; g < groupSizes.length; g++) {
      embedding[g] = matrix("embedding[" + groups.get(g) + "]", groupSizes[g], h);
      softmax[g] = matrix("softmax[" + groups.get(g) + "]", groupSizes[g], h);
      softmaxBias[g] = matrix("softmax_bias[" + groups.get(g) + "]", 1, groupSizes[g])[0];
    }
    attnPrev = matrix("attn_prev", h, h);
    attnCurr = matrix("attn_curr", h, h);
    attnV = matrix("attn_v", 1, h)[0];
    choiceEmbedding = choicePoints == 0 ? new double[0][] : matrix("choice_embedding", choicePoints, h);
  }

  private double[][] matrix(String name, int rows, int cols) {
    double[][] m = new double[rows][cols];
    tensors.addAll(Arrays.asList(m));
    layout.append(layout.length() == 0 ? "" : " ").append(name).append(':').append(rows).append('x').append(cols);
    return m;
  }

  /** Every row of every tensor, in a fixed order (the order of the saved state and of Adam's moments). */
  List<double[]> tensors() {
    return tensors;
  }

  /** Tensor names and shapes, e.g. {@code lstm:128x256}: part of the saved state's layout. */
  String layout() {
    return layout.toString();
  }

  /** Uniform in [-range, range] for every weight; the biases get their configured start values (zero by default). */
  void initialise(double range, SplitMix64 rng, double[][] biasInit) {
    for (double[] t : tensors) {
      for (int i = 0; i < t.length; i++) {
        t[i] = (2 * rng.nextDouble() - 1) * range;
      }
    }
    for (int g = 0; g < softmaxBias.length; g++) {
      if (biasInit[g] == null) {
        Arrays.fill(softmaxBias[g], 0);
      } else {
        System.arraycopy(biasInit[g], 0, softmaxBias[g], 0, softmaxBias[g].length);
      }
    }
  }

  void clear() {
    for (double[] t : tensors) {
      Arrays.fill(t, 0);
    }
  }

  /** Number of scalars in all tensors. */
  int size() {
    int n = 0;
    for (double[] t : tensors) {
      n += t.length;
    }
    return n;
  }

  /** The i-th scalar in {@link #tensors()} order (for gradient checks). */
  double get(int i) {
    for (double[] t : tensors) {
      if (i < t.length) {
        return t[i];
      }
      i -= t.length;
    }
    throw new IndexOutOfBoundsException(i);
  }

  void set(int i, double value) {
    for (double[] t : tensors) {
      if (i < t.length) {
        t[i] = value;
        return;
      }
      i -= t.length;
    }
    throw new IndexOutOfBoundsException(i);
  }

  /** All scalars in {@link #tensors()} order. */
  double[] flatten() {
    double[] out = new double[size()];
    int pos = 0;
    for (double[] t : tensors) {
      System.arraycopy(t, 0, out, pos, t.length);
      pos += t.length;
    }
    return out;
  }
}
