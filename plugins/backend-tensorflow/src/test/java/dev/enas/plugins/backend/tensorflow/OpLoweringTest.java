package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.IrException;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The lowered spatial ops compute what a direct Java loop computes on a small input. */
class OpLoweringTest {
  private static final int N = 2;

  private static float[] random(int size, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  private static Graph single(TensorShape in, Op... ops) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", in);
    return g.output(g.chain("op", x, ops)).build();
  }

  private static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": number of outputs");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), what + ": element " + i);
    }
  }

  @ParameterizedTest(name = "{0}x{1}x{2} input, kernel {3}, stride {4}, dilation {5}")
  @CsvSource({"7,7,3,3,1,1", "7,6,3,3,2,1", "6,6,2,5,2,1", "7,7,3,3,1,2"})
  void convolutionMatchesDirectComputation(int h, int w, int c, int kernel, int stride, int dilation) {
    int co = 4;
    float[] x = random(N * h * w * c, 1);
    float[] wt = random(kernel * kernel * c * co, 2);
    Graph g = single(TensorShape.of(h, w, c), new Op.Conv2d(kernel, stride, dilation, co, k("w")));
    float[] got = Forward.run(g, N, x, Map.of(k("w"), wt));
    assertClose(Reference.conv2d(x, N, h, w, c, wt, kernel, co, stride, dilation), got, "conv");
  }

  @ParameterizedTest(name = "VALID: {0}x{1}x{2} input, kernel {3}, stride {4}, dilation {5}")
  @CsvSource({"7,7,3,3,1,1", "8,7,3,3,2,1", "2,2,3,2,1,1", "7,7,2,3,1,2", "5,5,2,1,2,1"})
  void validConvolutionReadsOnlyRealElementsAndHasTheIrShape(int h, int w, int c, int kernel, int stride,
      int dilation) {
    int co = 4;
    float[] x = random(N * h * w * c, 11);
    float[] wt = random(kernel * kernel * c * co, 12);
    Op.Conv2d conv = new Op.Conv2d(kernel, stride, dilation, co, k("w"), Op.Padding.VALID);
    Graph g = single(TensorShape.of(h, w, c), conv);
    float[] got = Forward.run(g, N, x, Map.of(k("w"), wt));
    assertClose(Reference.conv2d(x, N, h, w, c, wt, kernel, co, stride, dilation, true), got, "valid conv");
    assertEquals(N * g.shapes().get("op").size(), got.length, "the IR's output shape " + g.shapes().get("op"));
  }

  @ParameterizedTest(name = "VALID {0} pool {3}x{3} stride {4} on {1}x{2}")
  @CsvSource({"AVG,8,8,5,3", "AVG,7,7,5,3", "MAX,8,8,5,3", "AVG,6,5,2,2", "MAX,5,5,5,1"})
  void validPoolingReadsOnlyRealElementsAndHasTheIrShape(Op.Pool.Kind kind, int h, int w, int kernel, int stride) {
    int c = 3;
    float[] x = random(N * h * w * c, 13);
    Graph g = single(TensorShape.of(h, w, c), new Op.Pool(kind, kernel, stride, Op.Padding.VALID));
    float[] got = Forward.run(g, N, x, Map.of());
    assertClose(Reference.pool(x, N, h, w, c, kernel, stride, kind == Op.Pool.Kind.MAX, true), got,
        "valid " + kind + " pool");
    assertEquals(N * g.shapes().get("op").size(), got.length, "the IR's output shape " + g.shapes().get("op"));
  }

  @Test
  void validWindowLargerThanTheInputIsAnIrError() {
    Graph g = single(TensorShape.of(4, 4, 1), new Op.Pool(Op.Pool.Kind.AVG, 5, 3, Op.Padding.VALID));
    IrException e = assertThrows(IrException.class, g::shapes);
    assertTrue(e.getMessage().contains("needs at least 5"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}x{1}x{2} input, kernel {3}, stride {4}, dilation {5}")
  @CsvSource({"7,7,3,3,1,1", "6,7,4,5,2,1", "7,7,3,3,1,2"})
  void separableConvolutionMatchesDepthwiseThenPointwise(int h, int w, int c, int kernel, int stride, int dilation) {
    int co = 5;
    float[] x = random(N * h * w * c, 3);
    float[] dw = random(kernel * kernel * c, 4);
    float[] pw = random(c * co, 5);
    Graph g = single(TensorShape.of(h, w, c), new Op.DepthwiseConv2d(kernel, stride, dilation, k("dw")),
        Op.Conv2d.of(1, co, k("pw")));
    float[] got = Forward.run(g, N, x, Map.of(k("dw"), dw, k("pw"), pw));
    float[] depthwise = Reference.depthwise(x, N, h, w, c, dw, kernel, stride, dilation);
    int oh = Reference.out(h, stride);
    int ow = Reference.out(w, stride);
    assertClose(Reference.conv2d(depthwise, N, oh, ow, c, pw, 1, co, 1, 1), got, "separable conv");
  }

  @ParameterizedTest(name = "{0} pool {3}x{3} stride {4} on {1}x{2}")
  @CsvSource({"MAX,5,5,3,1", "MAX,6,5,3,2", "AVG,5,5,3,1", "AVG,6,6,3,2", "AVG,5,4,2,2"})
  void poolingMatchesDirectComputationAndAveragesOnlyRealElements(Op.Pool.Kind kind, int h, int w, int kernel,
      int stride) {
    int c = 3;
    float[] x = random(N * h * w * c, 6);
    Graph g = single(TensorShape.of(h, w, c), new Op.Pool(kind, kernel, stride));
    float[] got = Forward.run(g, N, x, Map.of());
    assertClose(Reference.pool(x, N, h, w, c, kernel, stride, kind == Op.Pool.Kind.MAX), got, kind + " pool");
  }

  @ParameterizedTest(name = "{0}x{0} input")
  @CsvSource({"6", "5"})
  void factorizedReductionConcatenatesTheSubsampledAndShiftedPaths(int size) {
    int c = 3;
    int co = 4;
    float[] x = random(N * size * size * c, 7);
    float[] p1 = random(c * co / 2, 8);
    float[] p2 = random(c * co / 2, 9);
    Map<ParamKey, float[]> params = new HashMap<>();
    params.put(k("fr/path1"), p1);
    params.put(k("fr/path2"), p2);
    float[] gamma = {1f, 2f, 0.5f, 1f};
    float[] beta = {0f, 1f, -1f, 0.5f};
    float[] mean = {0.1f, -0.2f, 0f, 0.3f};
    float[] var = {1f, 2f, 0.5f, 4f};
    params.put(k("fr/bn/scale"), gamma);
    params.put(k("fr/bn/offset"), beta);
    params.put(k("fr/bn/moving_mean"), mean);
    params.put(k("fr/bn/moving_variance"), var);
    Graph g = single(TensorShape.of(size, size, c), new Op.FactorizedReduce(co, k("fr")));
    float[] got = Forward.run(g, N, x, params);

    float[] shifted = new float[x.length];
    for (int b = 0; b < N; b++) {
      for (int r = 0; r < size; r++) {
        for (int q = 0; q < size; q++) {
          for (int ci = 0; ci < c; ci++) {
            boolean inside = r + 1 < size && q + 1 < size;
            shifted[((b * size + r) * size + q) * c + ci] =
                inside ? x[((b * size + r + 1) * size + q + 1) * c + ci] : 0f;
          }
        }
      }
    }
    float[] y1 = Reference.conv2d(x, N, size, size, c, p1, 1, co / 2, 2, 1);
    float[] y2 = Reference.conv2d(shifted, N, size, size, c, p2, 1, co / 2, 2, 1);
    int pixels = y1.length / (co / 2);
    float[] want = new float[pixels * co];
    for (int p = 0; p < pixels; p++) {
      for (int o = 0; o < co; o++) {
        float v = o < co / 2 ? y1[p * (co / 2) + o] : y2[p * (co / 2) + o - co / 2];
        want[p * co + o] = (float) ((v - mean[o]) / Math.sqrt(var[o] + 1e-5) * gamma[o] + beta[o]);
      }
    }
    assertClose(want, got, "factorized reduce");
  }

  @Test
  void meanAddAndConcatCombineTheirInputs() {
    TensorShape s = TensorShape.of(2, 2, 1);
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", s);
    String a = g.op("a", new Op.Pool(Op.Pool.Kind.MAX, 2, 1), x);
    String add = g.op("add", new Op.Add(), x, a);
    String mean = g.op("mean", new Op.Mean(), x, a);
    g.output(g.op("cat", new Op.Concat(), add, mean));
    float[] in = {1, 2, 3, 4};
    float[] got = Forward.run(g.build(), 1, in, Map.of());
    // max 2x2 stride 1 SAME (pad bottom/right): [4, 4, 4, 4]
    float[] want = {5, 2.5f, 6, 3, 7, 3.5f, 8, 4};
    assertClose(want, got, "add/mean/concat");
  }

  @Test
  void tiedDenseReadsItsTableTransposed() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", TensorShape.of(1, 1, 2));
    String v = g.op("gap", new Op.GlobalAvgPool(), x);
    g.output(g.op("logits", new Op.TiedDense(3, k("table"), k("bias")), v));
    // The table is [units, D] = [3, 2], as an embedding of 3 words in 2 dimensions stores it.
    float[] table = {1, 2, 3, 4, 5, 6};
    float[] got = Forward.run(g.build(), 1, new float[] {10, 100}, Map.of(k("table"), table, k("bias"),
        new float[] {0.5f, 0, -1}));
    assertClose(new float[] {210.5f, 430, 649}, got, "tied dense");
  }
}
