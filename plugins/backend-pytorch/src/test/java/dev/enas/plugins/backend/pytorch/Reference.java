package dev.enas.plugins.backend.pytorch;

/** Direct Java computations of the ops on NHWC arrays, with TensorFlow's SAME padding. */
final class Reference {
  private Reference() {}

  /** Pads before (top/left) for SAME; the extra element of an odd total goes after. */
  static int padBefore(int in, int window, int stride) {
    int out = (in + stride - 1) / stride;
    int total = Math.max((out - 1) * stride + window - in, 0);
    return total / 2;
  }

  /** A convolution, weights {@code [k, k, cin, cout]}; {@code same} or VALID. */
  static float[] conv(float[] x, int n, int h, int w, int cin, float[] wt, int k, int cout, int stride, int dilation,
      boolean same) {
    int window = (k - 1) * dilation + 1;
    int oh = same ? (h + stride - 1) / stride : (h - window) / stride + 1;
    int ow = same ? (w + stride - 1) / stride : (w - window) / stride + 1;
    int ph = same ? padBefore(h, window, stride) : 0;
    int pw = same ? padBefore(w, window, stride) : 0;
    float[] y = new float[n * oh * ow * cout];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < cout; o++) {
            double s = 0;
            for (int di = 0; di < k; di++) {
              for (int dj = 0; dj < k; dj++) {
                int r = i * stride + di * dilation - ph;
                int c = j * stride + dj * dilation - pw;
                if (r < 0 || r >= h || c < 0 || c >= w) {
                  continue;
                }
                for (int ci = 0; ci < cin; ci++) {
                  s += x[((b * h + r) * w + c) * cin + ci] * wt[((di * k + dj) * cin + ci) * cout + o];
                }
              }
            }
            y[((b * oh + i) * ow + j) * cout + o] = (float) s;
          }
        }
      }
    }
    return y;
  }

  /** A depthwise convolution (SAME), weights {@code [k, k, c, 1]}. */
  static float[] depthwise(float[] x, int n, int h, int w, int ch, float[] wt, int k, int stride, int dilation) {
    int window = (k - 1) * dilation + 1;
    int oh = (h + stride - 1) / stride;
    int ow = (w + stride - 1) / stride;
    int ph = padBefore(h, window, stride);
    int pw = padBefore(w, window, stride);
    float[] y = new float[n * oh * ow * ch];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int c = 0; c < ch; c++) {
            double s = 0;
            for (int di = 0; di < k; di++) {
              for (int dj = 0; dj < k; dj++) {
                int r = i * stride + di * dilation - ph;
                int q = j * stride + dj * dilation - pw;
                if (r >= 0 && r < h && q >= 0 && q < w) {
                  s += x[((b * h + r) * w + q) * ch + c] * wt[(di * k + dj) * ch + c];
                }
              }
            }
            y[((b * oh + i) * ow + j) * ch + c] = (float) s;
          }
        }
      }
    }
    return y;
  }

  /** Max or average pooling with SAME padding; the average counts only real elements. */
  static float[] pool(float[] x, int n, int h, int w, int ch, int k, int stride, boolean max) {
    int oh = (h + stride - 1) / stride;
    int ow = (w + stride - 1) / stride;
    int ph = padBefore(h, k, stride);
    int pw = padBefore(w, k, stride);
    float[] y = new float[n * oh * ow * ch];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int c = 0; c < ch; c++) {
            double s = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int di = 0; di < k; di++) {
              for (int dj = 0; dj < k; dj++) {
                int r = i * stride + di - ph;
                int q = j * stride + dj - pw;
                if (r >= 0 && r < h && q >= 0 && q < w) {
                  float v = x[((b * h + r) * w + q) * ch + c];
                  s = max ? Math.max(s, v) : s + v;
                  count++;
                }
              }
            }
            y[((b * oh + i) * ow + j) * ch + c] = (float) (max ? s : s / count);
          }
        }
      }
    }
    return y;
  }

  /** {@code x [n, d] · w [d, u]}. */
  static float[] matmul(float[] x, int n, int d, float[] w, int u) {
    float[] y = new float[n * u];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < u; j++) {
        double s = 0;
        for (int q = 0; q < d; q++) {
          s += x[i * d + q] * w[q * u + j];
        }
        y[i * u + j] = (float) s;
      }
    }
    return y;
  }

  static float[] random(int size, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] v = new float[size];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
