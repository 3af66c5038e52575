package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each op's forward against a direct Java computation on tiny inputs (TensorFlow's SAME padding, IR layouts). */
class OpForwardTest {
  private static final float TOL = 1e-4f;

  private static Graph single(TensorShape in, Op op) {
    GraphBuilder g = new GraphBuilder();
    return g.output(g.op("op", op, g.input("in", "images", in))).build();
  }

  @Test
  void convolutionPadsSameAsymmetricallyWithTheExtraAtTheBottomRight() {
    // 4x4, 3x3 stride 2: out 2, total padding 1, all of it after (a symmetric pad would shift every output).
    int n = 2;
    int h = 4;
    int w = 4;
    int cin = 2;
    int cout = 3;
    float[] x = Reference.random(n * h * w * cin, 1);
    float[] wt = Reference.random(3 * 3 * cin * cout, 2);
    Graph g = single(TensorShape.of(h, w, cin), new Op.Conv2d(3, 2, 1, cout, k("w")));
    assertArrayEquals(Reference.conv(x, n, h, w, cin, wt, 3, cout, 2, 1, true),
        Forward.run(g, n, x, Map.of(k("w"), wt)), TOL);
  }

  @Test
  void convolutionWithDilationAndValidPadding() {
    int n = 1;
    float[] x = Reference.random(n * 6 * 5 * 2, 3);
    float[] wt = Reference.random(3 * 3 * 2 * 2, 4);
    Graph dilated = single(TensorShape.of(6, 5, 2), new Op.Conv2d(3, 1, 2, 2, k("w")));
    assertArrayEquals(Reference.conv(x, n, 6, 5, 2, wt, 3, 2, 1, 2, true), Forward.run(dilated, n, x, Map.of(k("w"), wt)),
        TOL);
    Graph valid = single(TensorShape.of(6, 5, 2), new Op.Conv2d(3, 2, 1, 2, k("w"), Op.Padding.VALID));
    assertArrayEquals(Reference.conv(x, n, 6, 5, 2, wt, 3, 2, 2, 1, false), Forward.run(valid, n, x, Map.of(k("w"), wt)),
        TOL);
    Graph even = single(TensorShape.of(6, 5, 2), new Op.Conv2d(2, 1, 1, 2, k("w2")));
    float[] w2 = Reference.random(2 * 2 * 2 * 2, 5);
    assertArrayEquals(Reference.conv(x, n, 6, 5, 2, w2, 2, 2, 1, 1, true), Forward.run(even, n, x, Map.of(k("w2"), w2)),
        TOL);
  }

  @Test
  void depthwiseConvolutionWithStrideAndDilation() {
    int n = 2;
    int c = 3;
    float[] x = Reference.random(n * 5 * 5 * c, 6);
    float[] wt = Reference.random(3 * 3 * c, 7);
    Graph strided = single(TensorShape.of(5, 5, c), new Op.DepthwiseConv2d(3, 2, 1, k("dw")));
    assertArrayEquals(Reference.depthwise(x, n, 5, 5, c, wt, 3, 2, 1), Forward.run(strided, n, x, Map.of(k("dw"), wt)),
        TOL);
    Graph dilated = single(TensorShape.of(5, 5, c), new Op.DepthwiseConv2d(3, 1, 2, k("dw")));
    assertArrayEquals(Reference.depthwise(x, n, 5, 5, c, wt, 3, 1, 2), Forward.run(dilated, n, x, Map.of(k("dw"), wt)),
        TOL);
  }

  @Test
  void poolingPadsSameAndAveragesOverRealElementsOnly() {
    int n = 2;
    int c = 2;
    float[] x = Reference.random(n * 4 * 5 * c, 8);
    for (int stride : new int[] {1, 2}) {
      for (boolean max : new boolean[] {true, false}) {
        Graph g = single(TensorShape.of(4, 5, c), new Op.Pool(max ? Op.Pool.Kind.MAX : Op.Pool.Kind.AVG, 3, stride));
        assertArrayEquals(Reference.pool(x, n, 4, 5, c, 3, stride, max), Forward.run(g, n, x, Map.of()), TOL,
            (max ? "max" : "avg") + " stride " + stride);
      }
    }
    // All-negative inputs: a max pool padded with zeros instead of -inf would return 0 at the border.
    float[] negative = new float[n * 4 * 5 * c];
    for (int i = 0; i < negative.length; i++) {
      negative[i] = -1 - Math.abs(x[i]);
    }
    Graph max = single(TensorShape.of(4, 5, c), new Op.Pool(Op.Pool.Kind.MAX, 3, 2));
    assertArrayEquals(Reference.pool(negative, n, 4, 5, c, 3, 2, true), Forward.run(max, n, negative, Map.of()), TOL);
    // A 2x2 input, 3x3 window, stride 1: each corner's window holds 4 real elements.
    float[] tiny = {1, 2, 3, 4};
    Graph avg = single(TensorShape.of(2, 2, 1), new Op.Pool(Op.Pool.Kind.AVG, 3, 1));
    assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, Forward.run(avg, 1, tiny, Map.of()), TOL);
    Graph validAvg = single(TensorShape.of(4, 5, c), new Op.Pool(Op.Pool.Kind.AVG, 2, 2, Op.Padding.VALID));
    assertEquals(2 * 2 * 2 * c, Forward.run(validAvg, n, x, Map.of()).length);
  }

  @Test
  void factorizedReduceReadsEvenPixelsThenOddPixelsZeroPastTheBorder() {
    int n = 2;
    int h = 5;
    int w = 3;
    int cin = 2;
    int out = 4;
    float[] x = Reference.random(n * h * w * cin, 9);
    float[] w1 = Reference.random(cin * out / 2, 10);
    float[] w2 = Reference.random(cin * out / 2, 11);
    Graph g = single(TensorShape.of(h, w, cin), new Op.FactorizedReduce(out, k("fr")));
    Map<ParamKey, float[]> p = new HashMap<>();
    p.put(k("fr/path1"), w1);
    p.put(k("fr/path2"), w2);
    p.put(k("fr/bn/scale"), new float[] {1, 2, 1, 1});
    p.put(k("fr/bn/offset"), new float[] {0, 0, 0.5f, 0});
    p.put(k("fr/bn/moving_mean"), new float[] {0, 0, 0, 1});
    p.put(k("fr/bn/moving_variance"), new float[] {1, 1, 1, 4});
    float[] y = Forward.run(g, n, x, p);
    int oh = 3;
    int ow = 2;
    assertEquals(n * oh * ow * out, y.length);
    double eps = 1e-5;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < out; o++) {
            boolean second = o >= out / 2;
            int r = second ? 2 * i + 1 : 2 * i;
            int c = second ? 2 * j + 1 : 2 * j;
            float[] wt = second ? w2 : w1;
            int oo = o % (out / 2);
            double s = 0;
            if (r < h && c < w) {
              for (int ci = 0; ci < cin; ci++) {
                s += x[((b * h + r) * w + c) * cin + ci] * wt[ci * (out / 2) + oo];
              }
            }
            double bn = (s - p.get(k("fr/bn/moving_mean"))[o]) / Math.sqrt(p.get(k("fr/bn/moving_variance"))[o] + eps)
                * p.get(k("fr/bn/scale"))[o] + p.get(k("fr/bn/offset"))[o];
            assertEquals(bn, y[((b * oh + i) * ow + j) * out + o], 1e-4, "example " + b + " at " + i + "," + j + " ch " + o);
          }
        }
      }
    }
  }

  @Test
  void batchNormOfAVectorInInferenceUsesTheMovingStatistics() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", TensorShape.of(2, 2, 1));
    x = g.op("gap", new Op.GlobalAvgPool(), x);
    x = g.op("bn", new Op.BatchNorm(k("bn")), x);
    Graph graph = g.output(x).build();
    Map<ParamKey, float[]> p = Map.of(k("bn/scale"), new float[] {3}, k("bn/offset"), new float[] {1},
        k("bn/moving_mean"), new float[] {2}, k("bn/moving_variance"), new float[] {4});
    float[] y = Forward.run(graph, 2, new float[] {1, 2, 3, 4, 0, 0, 0, 0}, p);
    assertArrayEquals(new float[] {(float) ((2.5 - 2) / Math.sqrt(4 + 1e-5) * 3 + 1),
        (float) ((0 - 2) / Math.sqrt(4 + 1e-5) * 3 + 1)}, y, 1e-5f);
  }

  @Test
  void addMeanConcatGapDenseAndActivations() {
    TensorShape s = TensorShape.of(2, 3, 2);
    GraphBuilder g = new GraphBuilder();
    String in = g.input("in", "images", s);
    String a = g.op("tanh", new Op.Act(Activation.TANH), in);
    String b = g.op("sig", new Op.Act(Activation.SIGMOID), in);
    String r = g.op("relu", new Op.Act(Activation.RELU), in);
    String sum = g.op("add", new Op.Add(), a, b, r);
    String mean = g.op("mean", new Op.Mean(), a, b);
    String cat = g.op("cat", new Op.Concat(), sum, mean);
    String gap = g.op("gap", new Op.GlobalAvgPool(), cat);
    Graph graph = g.output(g.op("fc", new Op.Dense(3, true, k("fc")), gap)).build();
    int n = 2;
    float[] x = Reference.random(n * 12, 12);
    float[] w = Reference.random(4 * 3, 13);
    float[] bias = {0.1f, -0.2f, 0.3f};
    float[] pooled = new float[n * 4];
    for (int e = 0; e < n; e++) {
      for (int p = 0; p < 6; p++) {
        for (int c = 0; c < 2; c++) {
          double v = x[(e * 6 + p) * 2 + c];
          double t = Math.tanh(v);
          double sg = Reference.sigmoid(v);
          pooled[e * 4 + c] += (float) ((t + sg + Math.max(v, 0)) / 6);
          pooled[e * 4 + 2 + c] += (float) ((t + sg) / 2 / 6);
        }
      }
    }
    float[] want = Reference.matmul(pooled, n, 4, w, 3);
    for (int i = 0; i < want.length; i++) {
      want[i] += bias[i % 3];
    }
    assertArrayEquals(want, Forward.run(graph, n, x, Map.of(k("fc/w"), w, k("fc/b"), bias)), 1e-4f);
  }

  @Test
  void embeddingHighwayAndTiedDense() {
    int vocab = 5;
    int dim = 3;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("tok", "tokens", TensorShape.of(1));
    String state = g.input("st", "state", TensorShape.of(dim));
    String e = g.op("emb", new Op.Embedding(vocab, dim, k("emb")), tokens);
    String hw = g.op("hw", new Op.Highway(Activation.TANH, k("hw")), e, state);
    Graph graph = g.output(g.op("out", new Op.TiedDense(vocab, k("emb"), k("b")), hw)).output(hw).build();
    float[] table = Reference.random(vocab * dim, 14);
    float[] w = Reference.random(2 * dim * 2 * dim, 15);
    float[] bias = Reference.random(vocab, 16);
    long[] ids = {3, 0, 4};
    float[] y = Forward.runTokens(graph, ids, Map.of(k("emb"), table, k("hw"), w, k("b"), bias));
    for (int i = 0; i < ids.length; i++) {
      float[] in = new float[2 * dim]; // [embedding, zero state]
      System.arraycopy(table, (int) ids[i] * dim, in, 0, dim);
      float[] hc = Reference.matmul(in, 1, 2 * dim, w, 2 * dim);
      float[] s = new float[dim];
      for (int d = 0; d < dim; d++) {
        double carry = 0;
        s[d] = (float) (carry + Reference.sigmoid(hc[dim + d]) * (Math.tanh(hc[d]) - carry));
      }
      for (int v = 0; v < vocab; v++) {
        double logit = bias[v];
        for (int d = 0; d < dim; d++) {
          logit += s[d] * table[v * dim + d];
        }
        assertEquals(logit, y[i * vocab + v], 1e-4, "example " + i + " logit " + v);
      }
    }
  }

  @Test
  void lstmStepFromAZeroState() {
    int vocab = 4;
    int dim = 3;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("tok", "tokens", TensorShape.of(1));
    String state = g.input("st", "state", TensorShape.of(2 * dim));
    String e = g.op("emb", new Op.Embedding(vocab, dim, k("emb")), tokens);
    String next = g.op("lstm", new Op.Lstm(k("lstm")), e, g.op("h", new Op.Slice(0, dim), state),
        g.op("c", new Op.Slice(dim, 2 * dim), state));
    String top = g.op("top", new Op.Slice(0, dim), next);
    Graph graph = g.output(g.op("out", new Op.TiedDense(vocab, k("emb"), k("b")), top)).output(next).build();
    float[] table = Reference.random(vocab * dim, 24);
    float[] w = Reference.random(2 * dim * 4 * dim, 25);
    float[] gateBias = Reference.random(4 * dim, 26);
    float[] bias = Reference.random(vocab, 27);
    long[] ids = {2, 0, 3};
    float[] y = Forward.runTokens(graph, ids,
        Map.of(k("emb"), table, k("lstm/w"), w, k("lstm/b"), gateBias, k("b"), bias));
    for (int i = 0; i < ids.length; i++) {
      float[] in = new float[2 * dim]; // [embedding, zero h]
      System.arraycopy(table, (int) ids[i] * dim, in, 0, dim);
      float[] z = Reference.matmul(in, 1, 2 * dim, w, 4 * dim);
      float[] h = new float[dim];
      for (int d = 0; d < dim; d++) {
        // c = sigmoid(i) tanh(g) from a zero c; h = sigmoid(o) tanh(c)
        double c = Reference.sigmoid(z[d] + gateBias[d]) * Math.tanh(z[2 * dim + d] + gateBias[2 * dim + d]);
        h[d] = (float) (Reference.sigmoid(z[3 * dim + d] + gateBias[3 * dim + d]) * Math.tanh(c));
      }
      for (int v = 0; v < vocab; v++) {
        double logit = bias[v];
        for (int d = 0; d < dim; d++) {
          logit += h[d] * table[v * dim + d];
        }
        assertEquals(logit, y[i * vocab + v], 1e-4, "example " + i + " logit " + v);
      }
    }
  }
}
