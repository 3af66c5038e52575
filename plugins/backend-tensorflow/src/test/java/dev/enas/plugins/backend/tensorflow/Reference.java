package dev.enas.plugins.backend.tensorflow;

/**
 * Direct Java computations of the spatial ops (NHWC; SAME padding as TensorFlow pads, or VALID), to check the
 * lowering.
 */
final class Reference {
  private Reference() {}

  static int out(int in, int stride) {
    return (in + stride - 1) / stride;
  }

  static int out(int in, int k, int stride, int dilation, boolean valid) {
    return valid ? (in - ((k - 1) * dilation + 1)) / stride + 1 : out(in, stride);
  }

  static int padBefore(int in, int k, int stride, int dilation) {
    int eff = (k - 1) * dilation + 1;
    int total = Math.max((out(in, stride) - 1) * stride + eff - in, 0);
    return total / 2;
  }

  private static int padBefore(int in, int k, int stride, int dilation, boolean valid) {
    return valid ? 0 : padBefore(in, k, stride, dilation);
  }

  /** x: [n, h, w, c]; w: [k, k, c, co]; SAME padding. */
  static float[] conv2d(float[] x, int n, int h, int wd, int c, float[] w, int k, int co, int stride, int dil) {
    return conv2d(x, n, h, wd, c, w, k, co, stride, dil, false);
  }

  /** x: [n, h, w, c]; w: [k, k, c, co]; SAME or VALID padding. */
  static float[] conv2d(float[] x, int n, int h, int wd, int c, float[] w, int k, int co, int stride, int dil,
      boolean valid) {
    int oh = out(h, k, stride, dil, valid);
    int ow = out(wd, k, stride, dil, valid);
    int pt = padBefore(h, k, stride, dil, valid);
    int pl = padBefore(wd, k, stride, dil, valid);
    float[] y = new float[n * oh * ow * co];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < co; o++) {
            double s = 0;
            for (int ki = 0; ki < k; ki++) {
              for (int kj = 0; kj < k; kj++) {
                int r = i * stride - pt + ki * dil;
                int q = j * stride - pl + kj * dil;
                if (r < 0 || r >= h || q < 0 || q >= wd) {
                  continue;
                }
                for (int ci = 0; ci < c; ci++) {
                  s += x[((b * h + r) * wd + q) * c + ci] * w[((ki * k + kj) * c + ci) * co + o];
                }
              }
            }
            y[((b * oh + i) * ow + j) * co + o] = (float) s;
          }
        }
      }
    }
    return y;
  }

  /** x: [n, h, w, c]; w: [k, k, c, 1]. */
  static float[] depthwise(float[] x, int n, int h, int wd, int c, float[] w, int k, int stride, int dil) {
    int oh = out(h, stride);
    int ow = out(wd, stride);
    int pt = padBefore(h, k, stride, dil);
    int pl = padBefore(wd, k, stride, dil);
    float[] y = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ci = 0; ci < c; ci++) {
            double s = 0;
            for (int ki = 0; ki < k; ki++) {
              for (int kj = 0; kj < k; kj++) {
                int r = i * stride - pt + ki * dil;
                int q = j * stride - pl + kj * dil;
                if (r >= 0 && r < h && q >= 0 && q < wd) {
                  s += x[((b * h + r) * wd + q) * c + ci] * w[(ki * k + kj) * c + ci];
                }
              }
            }
            y[((b * oh + i) * ow + j) * c + ci] = (float) s;
          }
        }
      }
    }
    return y;
  }

  /** Max or average pooling with SAME padding; the average counts only real (unpadded) elements. */
  static float[] pool(float[] x, int n, int h, int wd, int c, int k, int stride, boolean max) {
    return pool(x, n, h, wd, c, k, stride, max, false);
  }

  /** Max or average pooling, SAME or VALID; the average counts only real (unpadded) elements. */
  static float[] pool(float[] x, int n, int h, int wd, int c, int k, int stride, boolean max, boolean valid) {
    int oh = out(h, k, stride, 1, valid);
    int ow = out(wd, k, stride, 1, valid);
    int pt = padBefore(h, k, stride, 1, valid);
    int pl = padBefore(wd, k, stride, 1, valid);
    float[] y = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ci = 0; ci < c; ci++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int ki = 0; ki < k; ki++) {
              for (int kj = 0; kj < k; kj++) {
                int r = i * stride - pt + ki;
                int q = j * stride - pl + kj;
                if (r >= 0 && r < h && q >= 0 && q < wd) {
                  float v = x[((b * h + r) * wd + q) * c + ci];
                  acc = max ? Math.max(acc, v) : acc + v;
                  count++;
                }
              }
            }
            y[((b * oh + i) * ow + j) * c + ci] = (float) (max ? acc : acc / count);
          }
        }
      }
    }
    return y;
  }
}
