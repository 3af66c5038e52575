package dev.enas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.onnx.ModelProto;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each IR op exported alone (a tiny graph around it) and run in ONNX Runtime, against the plain-loop {@link Reference}
 * on the same inputs and weights. Tolerance: 1e-4 absolute plus 1e-4 relative, float32 sums in another order.
 */
class OnnxExporterOpsTest {
  private static final double TOLERANCE = 1e-4;
  private static final int N = 2;

  // ---- images -------------------------------------------------------------------------------------------------

  @Test
  void convolutionsPadLikeTensorFlowForEveryStrideDilationAndPadding() throws Exception {
    int[][] cases = {{3, 1, 1, 0}, {3, 2, 1, 0}, {5, 2, 1, 0}, {3, 1, 2, 0}, {1, 1, 1, 0}, {3, 2, 1, 1}, {2, 1, 1, 1}};
    for (int[] c : cases) {
      Op.Padding padding = c[3] == 0 ? Op.Padding.SAME : Op.Padding.VALID;
      Op.Conv2d conv = new Op.Conv2d(c[0], c[1], c[2], 4, ParamKey.of("conv/w"), padding);
      Graph g = around(TensorShape.of(5, 6, 3), conv);
      Map<ParamKey, ModelWeights.Tensor> w = weights(g, 1);
      float[] x = random(N * 5 * 6 * 3, 2);
      float[][][][] want = Reference.conv(images(x, 5, 6, 3), kernel(w, "conv/w"), c[1], c[2],
          padding == Op.Padding.SAME, false);
      assertClose(flat(want), probe(g, w, x, 5, 6, 3), conv.label());
    }
  }

  @Test
  void depthwiseConvolutionsAreOneGroupPerChannel() throws Exception {
    for (int[] c : new int[][] {{3, 1, 1}, {5, 2, 1}, {3, 1, 2}}) {
      Op.DepthwiseConv2d dw = new Op.DepthwiseConv2d(c[0], c[1], c[2], ParamKey.of("dw/w"));
      Graph g = around(TensorShape.of(6, 5, 3), dw);
      Map<ParamKey, ModelWeights.Tensor> w = weights(g, 3);
      float[] x = random(N * 6 * 5 * 3, 4);
      float[][][][] want = Reference.conv(images(x, 6, 5, 3), kernel(w, "dw/w"), c[1], c[2], true, true);
      assertClose(flat(want), probe(g, w, x, 6, 5, 3), dw.label());
    }
  }

  @Test
  void averagePoolingCountsOnlyRealElementsAndMaxPoolingIgnoresPadding() throws Exception {
    List<Op.Pool> pools = List.of(new Op.Pool(Op.Pool.Kind.MAX, 3, 1), new Op.Pool(Op.Pool.Kind.AVG, 3, 1),
        new Op.Pool(Op.Pool.Kind.MAX, 3, 2), new Op.Pool(Op.Pool.Kind.AVG, 3, 2),
        new Op.Pool(Op.Pool.Kind.MAX, 2, 2, Op.Padding.VALID), new Op.Pool(Op.Pool.Kind.AVG, 3, 2, Op.Padding.VALID));
    // 6 rows: a 3x3 window at stride 2 pads one row, at the bottom (TensorFlow's SAME); 5 columns pad symmetrically
    for (Op.Pool p : pools) {
      Graph g = around(TensorShape.of(6, 5, 2), p);
      float[] x = random(N * 6 * 5 * 2, 5);
      // all negative inputs: a max pool that counted padding zeros would show it
      for (int i = 0; i < x.length; i++) {
        x[i] = -Math.abs(x[i]) - 0.1f;
      }
      float[][][][] want = Reference.pool(images(x, 6, 5, 2), p.kind() == Op.Pool.Kind.MAX, p.kernel(), p.stride(),
          p.padding() == Op.Padding.SAME);
      assertClose(flat(want), probe(g, Map.of(), x, 6, 5, 2), p.label());
    }
  }

  @Test
  void factorizedReductionShiftsTheSecondPathByOnePixelOnOddAndEvenSizes() throws Exception {
    for (int size : new int[] {5, 6}) {
      Op.FactorizedReduce fr = new Op.FactorizedReduce(4, ParamKey.of("fr"));
      Graph g = around(TensorShape.of(size, size, 3), fr);
      Map<ParamKey, ModelWeights.Tensor> w = weights(g, 6);
      float[] x = random(N * size * size * 3, 7);
      float[][][][] raw = Reference.factorizedReduce(images(x, size, size, 3), matrix(w, "fr/path1", 3, 2),
          matrix(w, "fr/path2", 3, 2));
      float[][][][] want = Reference.batchNorm(raw, v(w, "fr/bn/scale"), v(w, "fr/bn/offset"),
          v(w, "fr/bn/moving_mean"), v(w, "fr/bn/moving_variance"), 1e-5);
      assertClose(flat(want), probe(g, w, x, size, size, 3), "factorized reduce " + size);
    }
  }

  @Test
  void batchNormUsesMovingAveragesOrTheBatchStatisticsAsAsked() throws Exception {
    Op.BatchNorm bn = new Op.BatchNorm(ParamKey.of("bn"));
    Graph g = around(TensorShape.of(4, 4, 3), bn);
    Map<ParamKey, ModelWeights.Tensor> w = weights(g, 8);
    float[] x = random(N * 4 * 4 * 3, 9);
    float[][][][] moving = Reference.batchNorm(images(x, 4, 4, 3), v(w, "bn/scale"), v(w, "bn/offset"),
        v(w, "bn/moving_mean"), v(w, "bn/moving_variance"), 1e-3);
    ExportSettings s = new ExportSettings(1e-3, ExportSettings.BatchNormMode.MOVING_AVERAGES, 35, Map.of());
    assertClose(flat(moving), probe(g, w, x, 4, 4, 3, s), "bn moving averages");
    float[][][][] batch = Reference.batchNorm(images(x, 4, 4, 3), v(w, "bn/scale"), v(w, "bn/offset"), null, null,
        1e-3);
    assertClose(flat(batch), probe(g, w, x, 4, 4, 3, s.withBatchNorm(ExportSettings.BatchNormMode.BATCH_STATISTICS)),
        "bn batch statistics");
  }

  @Test
  void activationsAndElementWiseCombinationsMatch() throws Exception {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", TensorShape.of(3, 3, 2));
    String r = b.op("relu", new Op.Act(Activation.RELU), x);
    String t = b.op("tanh", new Op.Act(Activation.TANH), x);
    String s = b.op("sigmoid", new Op.Act(Activation.SIGMOID), x);
    String i = b.op("ident", new Op.Act(Activation.IDENTITY), x);
    String sum = b.op("sum", new Op.Add(), r, t, s);
    String mean = b.op("mean", new Op.Mean(), r, t, i);
    String cat = b.op("cat", new Op.Concat(), sum, mean);
    Graph g = b.output(b.op("logits", new Op.GlobalAvgPool(), cat)).build();
    float[] in = random(N * 18, 10);
    float[] want = new float[N * 9 * 4];
    for (int p = 0; p < N * 9; p++) {
      for (int c = 0; c < 2; c++) {
        double v = in[p * 2 + c];
        double rv = Math.max(0, v);
        double tv = Math.tanh(v);
        double sv = 1 / (1 + Math.exp(-v));
        want[p * 4 + c] = (float) (rv + tv + sv);
        want[p * 4 + 2 + c] = (float) ((rv + tv + v) / 3);
      }
    }
    Map<String, float[]> out = run(g, Map.of(), in, 3, 3, 2, ExportSettings.defaults(), List.of("cat"));
    assertClose(want, out.get("probe/cat"), "relu/tanh/sigmoid, add, mean, concat");
  }

  @Test
  void classifierHeadDropsAuxiliaryLogitsAndDropoutIsTheIdentity() throws Exception {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", TensorShape.of(4, 4, 3));
    String dp = b.op("droppath", new Op.DropPath(0.5), x);
    String gap = b.op("gap", new Op.GlobalAvgPool(), dp);
    String drop = b.op("dropout", new Op.Dropout(0.5), gap);
    String logits = b.op("logits", new Op.Dense(5, true, ParamKey.of("fc")), drop);
    String auxGap = b.op("aux_gap", new Op.GlobalAvgPool(), x);
    String aux = b.op("aux", new Op.Dense(5, false, ParamKey.of("aux_fc")), auxGap);
    String auxOut = b.op("aux_logits", new Op.AuxLogits(0.4), aux);
    Graph g = b.output(logits).output(auxOut).build();
    Map<ParamKey, ModelWeights.Tensor> w = weights(g, 11);
    float[] in = random(N * 48, 12);
    float[][] want = Reference.dense(Reference.globalAvgPool(images(in, 4, 4, 3)), matrix2(w, "fc/w", 3, 5),
        v(w, "fc/b"), false);
    ModelProto m = OnnxExporter.export(g, new ModelWeights(w, "test"), ExportSettings.defaults());
    assertEquals(1, m.getGraph().getOutputCount(), "the auxiliary head is not an output");
    assertTrue(m.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().startsWith("aux_fc")),
        "the auxiliary head's weights are not in the model");
    Map<String, float[]> out = Ort.run(m, Map.of("images", new Ort.Floats(in, N, 4, 4, 3)));
    assertClose(flat2(want), out.get("logits"), "dense head");
  }

  // ---- language model -----------------------------------------------------------------------------------------

  @Test
  void languageModelUnrollsEmbeddingHighwaysAndTiedSoftmaxFromTheGivenState() throws Exception {
    int vocab = 7;
    int h = 4;
    GraphBuilder b = new GraphBuilder();
    String tok = b.input("tok", "tokens", TensorShape.of(1));
    String prev = b.input("h_prev", "state", TensorShape.of(h));
    String e = b.op("x", new Op.Embedding(vocab, h, ParamKey.of("embedding")), tok);
    String n0 = b.op("node0", new Op.Highway(Activation.TANH, ParamKey.of("node0/w")), e, prev);
    String n1 = b.op("node1", new Op.Highway(Activation.RELU, ParamKey.of("node1/w")), n0);
    String n2 = b.op("node2", new Op.Highway(Activation.SIGMOID, ParamKey.of("node2/w")), n0);
    String n3 = b.op("node3", new Op.Highway(Activation.IDENTITY, ParamKey.of("node3/w")), n1);
    String next = b.op("h", new Op.Mean(), n2, n3);
    String drop = b.op("drop", new Op.Dropout(0.3), next);
    String logits = b.op("logits", new Op.TiedDense(vocab, ParamKey.of("embedding"), ParamKey.of("softmax/b")), drop);
    Graph g = b.output(logits).output(next).build();
    Map<ParamKey, ModelWeights.Tensor> w = weights(g, 13);
    int steps = 3;
    long[] tokens = {1, 6, 0, 3, 3, 5};
    float[] hidden = random(N * h, 14);
    ModelProto m = OnnxExporter.export(g, new ModelWeights(w, "test"), ExportSettings.defaults()
        .withSequenceLength(steps));
    Map<String, float[]> out = Ort.run(m, Map.of("tokens", new Ort.Longs(tokens, N, steps),
        "hidden", new Ort.Floats(hidden, N, h)));

    float[][] table = matrix2(w, "embedding", vocab, h);
    float[][] state = new float[N][h];
    for (int i = 0; i < N; i++) {
      System.arraycopy(hidden, i * h, state[i], 0, h);
    }
    float[] wantLogits = new float[N * steps * vocab];
    for (int t = 0; t < steps; t++) {
      float[][] x = new float[N][];
      for (int i = 0; i < N; i++) {
        x[i] = table[(int) tokens[i * steps + t]].clone();
      }
      float[][] a0 = Reference.highway(Activation.TANH, matrix2(w, "node0/w", 2 * h, 2 * h), x, state);
      float[][] a1 = Reference.highway(Activation.RELU, matrix2(w, "node1/w", h, 2 * h), a0);
      float[][] a2 = Reference.highway(Activation.SIGMOID, matrix2(w, "node2/w", h, 2 * h), a0);
      float[][] a3 = Reference.highway(Activation.IDENTITY, matrix2(w, "node3/w", h, 2 * h), a1);
      for (int i = 0; i < N; i++) {
        for (int u = 0; u < h; u++) {
          state[i][u] = (a2[i][u] + a3[i][u]) / 2;
        }
      }
      float[][] l = Reference.dense(state, table, v(w, "softmax/b"), true);
      for (int i = 0; i < N; i++) {
        System.arraycopy(l[i], 0, wantLogits, (i * steps + t) * vocab, vocab);
      }
    }
    assertClose(wantLogits, out.get("logits"), "logits [batch, steps, vocabulary]");
    assertClose(flat2(state), out.get("hidden_out"), "the state after the last step");
    assertEquals(1, m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("embedding")).count(),
        "the softmax reads the embedding's own initializer");
  }

  @Test
  void lstmLanguageModelCarriesHAndCInOneStateThroughSlices() throws Exception {
    int vocab = 6;
    int h = 3;
    GraphBuilder b = new GraphBuilder();
    String tok = b.input("tok", "tokens", TensorShape.of(1));
    String prev = b.input("state_prev", "state", TensorShape.of(2 * h));
    String e = b.op("x", new Op.Embedding(vocab, h, ParamKey.of("embedding")), tok);
    String hp = b.op("h_prev", new Op.Slice(0, h), prev);
    String cp = b.op("c_prev", new Op.Slice(h, 2 * h), prev);
    String next = b.op("h", new Op.Lstm(ParamKey.of("lstm")), e, hp, cp);
    String top = b.op("h/out", new Op.Slice(0, h), next);
    String logits = b.op("logits", new Op.TiedDense(vocab, ParamKey.of("embedding"), ParamKey.of("softmax/b")), top);
    Graph g = b.output(logits).output(next).build();
    Map<ParamKey, ModelWeights.Tensor> w = weights(g, 21);
    int steps = 3;
    long[] tokens = {2, 5, 0, 1, 1, 4};
    float[] start = random(N * 2 * h, 22);
    ModelProto m = OnnxExporter.export(g, new ModelWeights(w, "test"), ExportSettings.defaults()
        .withSequenceLength(steps));
    Map<String, float[]> out = Ort.run(m, Map.of("tokens", new Ort.Longs(tokens, N, steps),
        "hidden", new Ort.Floats(start, N, 2 * h)));

    float[][] table = matrix2(w, "embedding", vocab, h);
    float[][] state = new float[N][2 * h];
    for (int i = 0; i < N; i++) {
      System.arraycopy(start, i * 2 * h, state[i], 0, 2 * h);
    }
    float[] wantLogits = new float[N * steps * vocab];
    for (int t = 0; t < steps; t++) {
      float[][] x = new float[N][];
      for (int i = 0; i < N; i++) {
        x[i] = table[(int) tokens[i * steps + t]].clone();
      }
      state = Reference.lstm(matrix2(w, "lstm/w", 2 * h, 4 * h), v(w, "lstm/b"), x, state);
      float[][] top0 = new float[N][h];
      for (int i = 0; i < N; i++) {
        System.arraycopy(state[i], 0, top0[i], 0, h);
      }
      float[][] l = Reference.dense(top0, table, v(w, "softmax/b"), true);
      for (int i = 0; i < N; i++) {
        System.arraycopy(l[i], 0, wantLogits, (i * steps + t) * vocab, vocab);
      }
    }
    assertClose(wantLogits, out.get("logits"), "logits [batch, steps, vocabulary]");
    assertClose(flat2(state), out.get("hidden_out"), "[h, c] after the last step");
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** images -> op -> global average pool (the logits); the op's node is "op". */
  private static Graph around(TensorShape image, Op op) {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", image);
    String y = b.op("op", op, x);
    return b.output(b.op("logits", new Op.GlobalAvgPool(), y)).build();
  }

  private static float[] probe(Graph g, Map<ParamKey, ModelWeights.Tensor> w, float[] x, int h, int wd, int c)
      throws Exception {
    return probe(g, w, x, h, wd, c, ExportSettings.defaults());
  }

  private static float[] probe(Graph g, Map<ParamKey, ModelWeights.Tensor> w, float[] x, int h, int wd, int c,
      ExportSettings s) throws Exception {
    return run(g, w, x, h, wd, c, s, List.of("op")).get("probe/op");
  }

  private static Map<String, float[]> run(Graph g, Map<ParamKey, ModelWeights.Tensor> w, float[] x, int h, int wd,
      int c, ExportSettings s, List<String> probes) throws Exception {
    ModelProto m = OnnxExporter.export(g, new ModelWeights(w, "test"), s, OpLowering.LOWERED, probes);
    return Ort.run(m, Map.of("images", new Ort.Floats(x, N, h, wd, c)));
  }

  /** Values for every parameter of the graph: uniform in [-1, 1], variances in [0.5, 1.5]. */
  static Map<ParamKey, ModelWeights.Tensor> weights(Graph g, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    Map<ParamKey, ModelWeights.Tensor> out = new LinkedHashMap<>();
    for (ParamSpec p : g.params()) {
      float[] v = new float[(int) p.shape().size()];
      boolean variance = p.key().value().endsWith("moving_variance");
      for (int i = 0; i < v.length; i++) {
        double u = rng.nextDouble();
        v[i] = (float) (variance ? 0.5 + u : 2 * u - 1);
      }
      out.put(p.key(), new ModelWeights.Tensor(p.shape(), v));
    }
    return out;
  }

  static float[] random(int n, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return v;
  }

  private static float[] v(Map<ParamKey, ModelWeights.Tensor> w, String key) {
    return w.get(ParamKey.of(key)).values();
  }

  private static float[][][][] images(float[] flat, int h, int wd, int c) {
    float[][][][] x = new float[flat.length / (h * wd * c)][h][wd][c];
    int i = 0;
    for (float[][][] img : x) {
      for (float[][] row : img) {
        for (float[] px : row) {
          for (int k = 0; k < c; k++) {
            px[k] = flat[i++];
          }
        }
      }
    }
    return x;
  }

  private static float[][][][] kernel(Map<ParamKey, ModelWeights.Tensor> w, String key) {
    int[] d = w.get(ParamKey.of(key)).shape().dims();
    float[] flat = v(w, key);
    float[][][][] k = new float[d[0]][d[1]][d[2]][d[3]];
    int i = 0;
    for (float[][][] a : k) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (int j = 0; j < c.length; j++) {
            c[j] = flat[i++];
          }
        }
      }
    }
    return k;
  }

  /** A [1, 1, rows, cols] kernel as rows x cols. */
  private static float[][] matrix(Map<ParamKey, ModelWeights.Tensor> w, String key, int rows, int cols) {
    return matrix2(w, key, rows, cols);
  }

  private static float[][] matrix2(Map<ParamKey, ModelWeights.Tensor> w, String key, int rows, int cols) {
    float[] flat = v(w, key);
    assertEquals(rows * cols, flat.length, key);
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, m[r], 0, cols);
    }
    return m;
  }

  private static float[] flat(float[][][][] x) {
    List<Float> out = new ArrayList<>();
    for (float[][][] img : x) {
      for (float[][] row : img) {
        for (float[] px : row) {
          for (float v : px) {
            out.add(v);
          }
        }
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static float[] flat2(float[][] x) {
    float[] a = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, a, i * x[0].length, x[0].length);
    }
    return a;
  }

  static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": element count");
    for (int i = 0; i < want.length; i++) {
      double tol = TOLERANCE + TOLERANCE * Math.abs(want[i]);
      if (Math.abs(want[i] - got[i]) > tol) {
        assertArrayEquals(want, got, (float) tol, what + ": element " + i + " is " + got[i] + ", reference "
            + want[i]);
      }
    }
  }
}
