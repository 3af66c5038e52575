package dev.enas.export.onnx;

import dev.enas.api.ir.Activation;

/**
 * Plain-loop reference semantics of the IR's ops at evaluation, on NHWC images {@code [n][h][w][c]} and vectors
 * {@code [n][d]}, written from the IR's definitions (TensorFlow's SAME padding, average pooling over real elements),
 * independently of ONNX: what the op tests compare an exported model with.
 */
final class Reference {
  private Reference() {}

  static int[] samePad(int in, int window, int stride) {
    int out = (in + stride - 1) / stride;
    int total = Math.max((out - 1) * stride + window - in, 0);
    return new int[] {total / 2, out};
  }

  /** Convolution with weights {@code [k][k][cin][cout]} (depthwise when {@code depthwise}: {@code [k][k][c][1]}). */
  static float[][][][] conv(float[][][][] x, float[][][][] w, int stride, int dilation, boolean same,
      boolean depthwise) {
    int n = x.length;
    int h = x[0].length;
    int wd = x[0][0].length;
    int cin = x[0][0][0].length;
    int k = w.length;
    int window = (k - 1) * dilation + 1;
    int cout = depthwise ? cin : w[0][0][0].length;
    int[] ph = same ? samePad(h, window, stride) : new int[] {0, (h - window) / stride + 1};
    int[] pw = same ? samePad(wd, window, stride) : new int[] {0, (wd - window) / stride + 1};
    float[][][][] y = new float[n][ph[1]][pw[1]][cout];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < ph[1]; i++) {
        for (int j = 0; j < pw[1]; j++) {
          for (int o = 0; o < cout; o++) {
            double s = 0;
            for (int a = 0; a < k; a++) {
              for (int c = 0; c < k; c++) {
                int r = i * stride - ph[0] + a * dilation;
                int q = j * stride - pw[0] + c * dilation;
                if (r < 0 || r >= h || q < 0 || q >= wd) {
                  continue;
                }
                if (depthwise) {
                  s += x[b][r][q][o] * w[a][c][o][0];
                } else {
                  for (int ci = 0; ci < cin; ci++) {
                    s += x[b][r][q][ci] * w[a][c][ci][o];
                  }
                }
              }
            }
            y[b][i][j][o] = (float) s;
          }
        }
      }
    }
    return y;
  }

  static float[][][][] pool(float[][][][] x, boolean max, int k, int stride, boolean same) {
    int n = x.length;
    int h = x[0].length;
    int wd = x[0][0].length;
    int ch = x[0][0][0].length;
    int[] ph = same ? samePad(h, k, stride) : new int[] {0, (h - k) / stride + 1};
    int[] pw = same ? samePad(wd, k, stride) : new int[] {0, (wd - k) / stride + 1};
    float[][][][] y = new float[n][ph[1]][pw[1]][ch];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < ph[1]; i++) {
        for (int j = 0; j < pw[1]; j++) {
          for (int c = 0; c < ch; c++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int a = 0; a < k; a++) {
              for (int e = 0; e < k; e++) {
                int r = i * stride - ph[0] + a;
                int q = j * stride - pw[0] + e;
                if (r < 0 || r >= h || q < 0 || q >= wd) {
                  continue;
                }
                acc = max ? Math.max(acc, x[b][r][q][c]) : acc + x[b][r][q][c];
                count++;
              }
            }
            y[b][i][j][c] = (float) (max ? acc : acc / count);
          }
        }
      }
    }
    return y;
  }

  /** ENAS's factorized reduction before its batch norm: pixels (2i, 2j) and (2i+1, 2j+1) through 1x1 kernels. */
  static float[][][][] factorizedReduce(float[][][][] x, float[][] w1, float[][] w2) {
    int n = x.length;
    int h = x[0].length;
    int wd = x[0][0].length;
    int cin = x[0][0][0].length;
    int half = w1[0].length;
    int oh = (h + 1) / 2;
    int ow = (wd + 1) / 2;
    float[][][][] y = new float[n][oh][ow][2 * half];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < half; o++) {
            double s1 = 0;
            double s2 = 0;
            for (int c = 0; c < cin; c++) {
              s1 += x[b][2 * i][2 * j][c] * w1[c][o];
              if (2 * i + 1 < h && 2 * j + 1 < wd) {
                s2 += x[b][2 * i + 1][2 * j + 1][c] * w2[c][o];
              }
            }
            y[b][i][j][o] = (float) s1;
            y[b][i][j][half + o] = (float) s2;
          }
        }
      }
    }
    return y;
  }

  /** Batch norm of images with the given statistics, or (null mean) the batch's mean and biased variance. */
  static float[][][][] batchNorm(float[][][][] x, float[] scale, float[] offset, float[] mean, float[] var,
      double eps) {
    int n = x.length;
    int h = x[0].length;
    int wd = x[0][0].length;
    int ch = x[0][0][0].length;
    if (mean == null) {
      mean = new float[ch];
      var = new float[ch];
      for (int c = 0; c < ch; c++) {
        double s = 0;
        double ss = 0;
        for (float[][][] img : x) {
          for (float[][] row : img) {
            for (float[] px : row) {
              s += px[c];
            }
          }
        }
        double m = s / (n * h * wd);
        for (float[][][] img : x) {
          for (float[][] row : img) {
            for (float[] px : row) {
              ss += (px[c] - m) * (px[c] - m);
            }
          }
        }
        mean[c] = (float) m;
        var[c] = (float) (ss / (n * h * wd));
      }
    }
    float[][][][] y = new float[n][h][wd][ch];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < wd; j++) {
          for (int c = 0; c < ch; c++) {
            y[b][i][j][c] = (float) ((x[b][i][j][c] - mean[c]) / Math.sqrt(var[c] + eps) * scale[c] + offset[c]);
          }
        }
      }
    }
    return y;
  }

  static double act(Activation fn, double v) {
    return switch (fn) {
      case RELU -> Math.max(0, v);
      case TANH -> Math.tanh(v);
      case SIGMOID -> 1 / (1 + Math.exp(-v));
      case IDENTITY -> v;
    };
  }

  static float[][] globalAvgPool(float[][][][] x) {
    int ch = x[0][0][0].length;
    float[][] y = new float[x.length][ch];
    for (int b = 0; b < x.length; b++) {
      for (int c = 0; c < ch; c++) {
        double s = 0;
        for (float[][] row : x[b]) {
          for (float[] px : row) {
            s += px[c];
          }
        }
        y[b][c] = (float) (s / (x[b].length * x[b][0].length));
      }
    }
    return y;
  }

  /** {@code x W + b} with W {@code [d][units]}; {@code transposed} reads W as {@code [units][d]}. */
  static float[][] dense(float[][] x, float[][] w, float[] bias, boolean transposed) {
    int units = transposed ? w.length : w[0].length;
    float[][] y = new float[x.length][units];
    for (int b = 0; b < x.length; b++) {
      for (int u = 0; u < units; u++) {
        double s = bias == null ? 0 : bias[u];
        for (int d = 0; d < x[b].length; d++) {
          s += x[b][d] * (transposed ? w[u][d] : w[d][u]);
        }
        y[b][u] = (float) s;
      }
    }
    return y;
  }

  /**
   * One LSTM step on {@code state} rows {@code [h, c]}: gates {@code [i, f, g, o] = [x, h] W + b},
   * {@code c' = σ(f) c + σ(i) tanh(g)}, {@code h' = σ(o) tanh(c')}; returns {@code [h', c']} rows.
   */
  static float[][] lstm(float[][] w, float[] bias, float[][] x, float[][] state) {
    int hw = state[0].length / 2;
    float[][] y = new float[x.length][2 * hw];
    for (int b = 0; b < x.length; b++) {
      float[] in = new float[x[b].length + hw];
      System.arraycopy(x[b], 0, in, 0, x[b].length);
      System.arraycopy(state[b], 0, in, x[b].length, hw);
      double[] z = new double[4 * hw];
      for (int u = 0; u < 4 * hw; u++) {
        z[u] = bias[u];
        for (int d = 0; d < in.length; d++) {
          z[u] += in[d] * w[d][u];
        }
      }
      for (int u = 0; u < hw; u++) {
        double c = sigmoid(z[hw + u]) * state[b][hw + u] + sigmoid(z[u]) * Math.tanh(z[2 * hw + u]);
        y[b][u] = (float) (sigmoid(z[3 * hw + u]) * Math.tanh(c));
        y[b][hw + u] = (float) c;
      }
    }
    return y;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** The highway node: {@code [h, c] = concat(inputs) W}, {@code carry + sigmoid(c) * (fn(h) - carry)}. */
  static float[][] highway(Activation fn, float[][] w, float[][]... inputs) {
    float[][] carry = inputs[inputs.length - 1];
    int hw = carry[0].length;
    float[][] y = new float[carry.length][hw];
    for (int b = 0; b < carry.length; b++) {
      int width = 0;
      for (float[][] in : inputs) {
        width += in[b].length;
      }
      float[] x = new float[width];
      int at = 0;
      for (float[][] in : inputs) {
        System.arraycopy(in[b], 0, x, at, in[b].length);
        at += in[b].length;
      }
      for (int u = 0; u < hw; u++) {
        double pre = 0;
        double gate = 0;
        for (int d = 0; d < width; d++) {
          pre += x[d] * w[d][u];
          gate += x[d] * w[d][hw + u];
        }
        double g = 1 / (1 + Math.exp(-gate));
        y[b][u] = (float) (carry[b][u] + g * (act(fn, pre) - carry[b][u]));
      }
    }
    return y;
  }
}
