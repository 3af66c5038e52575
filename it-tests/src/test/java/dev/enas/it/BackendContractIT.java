package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.TensorStoreFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract, run once per backend plugin found in the unpacked distribution's {@code plugins/}, loaded
 * through the runtime's plugin host exactly as {@code bin/enas} loads them: a new backend plugin dropped there gets
 * the whole contract without a line of test code. Backends that are expected ({@link #EXPECTED}) but not installed
 * are reported as skipped with the reason, never passed.
 *
 * <p>Everything goes through the Backend SPI and the backend-independent tensor-store file:
 * <ol type="a">
 *   <li>every IR op, in a tiny graph: the loss is finite and its gradient, read as {@code -Δw} of one {@code train}
 *       step at learning rate 1 (options {@link #EXACT_SGD}: plain SGD, no decay, no clipping, batch-norm on batch
 *       statistics at evaluation too, so that train and evaluate compute one function), equals a central difference
 *       of {@code evaluate(...).loss()} at {@code w ± h} (weights set by writing a tensor-store file and loading it)
 *       to a relative tolerance of {@value #RTOL} plus {@value #ATOL} (float32; {@code h} = {@value #H}; an element
 *       whose one-sided differences disagree, a ReLU or max-pool kink within h, is passed over); dropout
 *       and drop-path are the identity at evaluation, and auxiliary logits are left out of it; an activation penalty
 *       is the identity at evaluation, and a train step descends the loss plus the penalty (computed from the cell's
 *       outputs by one-step evaluations), not the loss alone;
 *   <li>shared weights: two children that use one key read and update one tensor; one key with two shapes is an
 *       {@link IllegalArgumentException};
 *   <li>save then load (into a new backend) evaluates identically; a truncated file is an {@link IOException};
 *   <li>bad input (choice nodes left, a label out of range, another image shape) is an
 *       {@link IllegalArgumentException};
 *   <li>a checkpoint saved by one discovered backend loads into every other and evaluates to the same loss within
 *       {@value #PORTABLE_RTOL} (relative): checkpoints are portable;
 *   <li>a recurrent model's carried state: a sequence evaluated as two windows, the second starting from the state the
 *       first returned, has the loss of the sequence evaluated whole; a training step returns the same state as an
 *       evaluation at the same weights; a state of the wrong size is an {@link IllegalArgumentException};
 *   <li>named dropout masks are variational: in training, a sequence's mask is the same at every step and two dropouts
 *       naming one mask drop the same elements; word dropout drops a word type's whole vector, wherever it occurs.
 * </ol>
 */
class BackendContractIT {
  /** Backends the distribution is meant to hold; one that is missing is reported as skipped. */
  static final List<String> EXPECTED = List.of("tensorflow", "pytorch");
  /** Options parsed into every backend's options message: names shared by the backends for the same meaning. */
  static final String EXACT_SGD = "momentum: 0 weight_decay: 0 clip_mode: NO_CLIPPING bn_eval: BATCH_STATISTICS";
  static final double H = 1e-3;
  static final double RTOL = 5e-2;
  static final double ATOL = 1e-3;
  static final double PORTABLE_RTOL = 1e-4;
  /**
   * An element whose one-sided differences disagree by more than this (relative, plus {@link #ATOL}) sits within h of
   * a kink (ReLU, max pool) and is passed over; at most half of a graph's elements may be.
   */
  static final double KINK = 0.1;
  /** Elements of each tensor whose gradient is checked (chosen at random, the first always). */
  static final int ELEMENTS_PER_TENSOR = 4;
  static final String SPACE = "contract";
  static final int CLASSES = 3;
  static final TensorShape IMAGE = TensorShape.of(6, 6, 2);

  @TempDir
  static Path tmp;

  @SuppressWarnings("rawtypes")
  static synchronized Map<String, BackendProvider> discovered() throws IOException {
    PluginHost host = InProcessPlugins.host();
    Map<String, BackendProvider> all = new TreeMap<>();
    for (String id : host.registry().ids(PluginKind.BACKEND)) {
      all.put(id, host.registry().provider(PluginKind.BACKEND, id, BackendProvider.class));
    }
    return all;
  }

  @TestFactory
  @SuppressWarnings("rawtypes")
  Stream<DynamicNode> contract() throws IOException {
    Map<String, BackendProvider> found = discovered();
    List<DynamicNode> nodes = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(EXPECTED);
    ids.addAll(found.keySet());
    for (String id : ids) {
      BackendProvider p = found.get(id);
      if (p == null) {
        nodes.add(dynamicTest(id + ": not installed", () -> Assumptions.abort("backend '" + id + "' is not "
            + "installed in " + Distribution.built().resolve("plugins") + " (installed: " + found.keySet()
            + "); build its plugin into the distribution to run the contract on it")));
        continue;
      }
      nodes.add(dynamicContainer(id, contractOf(id, p)));
    }
    List<DynamicNode> portable = new ArrayList<>();
    for (String from : found.keySet()) {
      for (String to : found.keySet()) {
        if (!from.equals(to)) {
          portable.add(dynamicTest(from + " -> " + to, () -> portable(from, found.get(from), to, found.get(to))));
        }
      }
    }
    if (portable.isEmpty()) {
      portable.add(dynamicTest("needs two backends", () -> Assumptions.abort("only " + found.keySet() + " installed; "
          + "a checkpoint can move only between two backends (the round trip within one is checked above)")));
    }
    nodes.add(dynamicContainer("(e) checkpoint saved by one backend evaluates the same on another", portable));
    return nodes.stream();
  }

  @SuppressWarnings("rawtypes")
  private Stream<DynamicNode> contractOf(String id, BackendProvider p) {
    List<DynamicNode> ops = new ArrayList<>();
    for (Map.Entry<String, Net> e : gradientNets().entrySet()) {
      ops.add(dynamicTest(e.getKey(), () -> gradient(id, p, e.getValue())));
    }
    List<DynamicNode> identity = List.of(
        dynamicTest("Dropout", () -> sameAtEvaluation(p, imageNet("drop", new Op.Dropout(0.5)), imageNet("drop",
            new Op.Identity()))),
        dynamicTest("DropPath", () -> sameAtEvaluation(p, imageNet("dpath", new Op.DropPath(0.5)),
            imageNet("dpath", new Op.Identity()))),
        dynamicTest("AuxLogits", () -> auxLogits(p)),
        dynamicTest("ActivationPenalty", () -> sameAtEvaluation(p, penalisedCell(3), cell(3))));
    ops.add(dynamicTest("ActivationPenalty: gradient of loss + penalty", () -> {
      Net net = penalisedCell(4);
      gradient(id, p, net, b -> b.evaluate(net.graph(), net.batch()).loss() + penalty(b, net));
      // ...and not of the loss alone: the penalty is large enough here to show whether training descends it.
      assertThrows(org.opentest4j.AssertionFailedError.class, () -> gradient(id, p, net));
    }));
    return Stream.of(
        dynamicContainer("(a) every IR op: gradient equals a central difference", ops),
        dynamicContainer("(a) identity at evaluation", identity),
        dynamicTest("(b) shared weights: one tensor per key, one shape per key", () -> sharedWeights(p)),
        dynamicTest("(c) save/load round trip; truncated file", () -> roundTrip(id, p)),
        dynamicTest("(d) bad input is IllegalArgumentException", () -> badInput(p)),
        dynamicTest("(f) carried state: two windows from the first's final state = one long window",
            () -> carriedState(p)),
        dynamicTest("(g) variational dropout: one mask per sequence, shared by name; word dropout per word type",
            () -> variationalMasks(p)),
        dynamicTest("(h) averaged SGD: the running mean of the weights, swapped in and out, saved and loaded",
            () -> averaging(id, p)));
  }

  // --- options, graphs and batches --------------------------------------------------------------------------

  @SuppressWarnings({"rawtypes", "unchecked"})
  static Backend create(BackendProvider p, long seed) throws TextFormat.ParseException {
    Message.Builder b = p.defaultOptions().toBuilder();
    TextFormat.merge(EXACT_SGD, b);
    return p.create(b.build(), seed);
  }

  static ParamKey k(String s) {
    return ParamKey.of(s);
  }

  /** A graph and a batch it takes. */
  record Net(Graph graph, Batch batch) {}

  /** images -> stem conv -> the ops -> global average pool -> dense(classes). */
  static Net imageNet(String name, Op... ops) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    x = g.op("stem", new Op.Conv2d(3, 1, 1, 3, k(name + "/stem"), Op.Padding.SAME), x);
    for (int i = 0; i < ops.length; i++) {
      x = g.op("op" + i, ops[i], x);
    }
    x = g.op("gap", new Op.GlobalAvgPool(), x);
    x = g.op("logits", new Op.Dense(CLASSES, true, k(name + "/head")), x);
    return new Net(g.output(x).build(), images(4, IMAGE, 11));
  }

  /** Two branches from the stem, merged by {@code merge}. */
  static Net mergeNet(String name, Op merge) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    x = g.op("stem", new Op.Conv2d(3, 1, 1, 3, k(name + "/stem"), Op.Padding.SAME), x);
    String a = g.op("a", Op.Conv2d.of(1, 3, k(name + "/a")), x);
    String b = g.op("b", new Op.Act(Activation.TANH), x);
    String m = g.op("merge", merge, a, b);
    m = g.op("gap", new Op.GlobalAvgPool(), m);
    m = g.op("logits", new Op.Dense(CLASSES, true, k(name + "/head")), m);
    return new Net(g.output(m).build(), images(4, IMAGE, 12));
  }

  /** A recurrent cell: embedding, highway nodes carrying the state, a softmax layer tied to the embedding. */
  static Net cell() {
    return cell(3);
  }

  /** {@link #cell()} on a batch of two sequences of {@code steps} tokens. */
  static Net cell(int steps) {
    return cell(steps, null);
  }

  /** {@link #cell(int)} with the cell output (the carried state) penalised by {@link #PENALTY} before the softmax. */
  static Net penalisedCell(int steps) {
    return cell(steps, PENALTY);
  }

  private static Net cell(int steps, Op.ActivationPenalty penalty) {
    int vocabulary = 5;
    int hidden = 4;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("x", "tokens", TensorShape.of(1));
    String state = g.input("h", "state", TensorShape.of(hidden));
    String e = g.op("emb", new Op.Embedding(vocabulary, hidden, k("lm/emb")), tokens);
    String n1 = g.op("n1", new Op.Highway(Activation.TANH, k("lm/w1")), e, state);
    String n2 = g.op("n2", new Op.Highway(Activation.SIGMOID, k("lm/w2")), n1);
    String out = g.op("out", new Op.Mean(), n1, n2);
    String top = penalty == null ? out : g.op("pen", penalty, out);
    String logits = g.op("logits", new Op.TiedDense(vocabulary, k("lm/emb"), k("lm/b")), top);
    int size = 2;
    int[] in = new int[size * steps];
    int[] target = new int[size * steps];
    for (int i = 0; i < in.length; i++) {
      in[i] = (i * 3 + 1) % vocabulary;
      target[i] = (i * 2 + 3) % vocabulary;
    }
    return new Net(g.output(logits).output(out).build(), new Batch.Tokens(size, steps, in, target));
  }

  static final Op.ActivationPenalty PENALTY = new Op.ActivationPenalty(10, 10);

  /**
   * The penalty {@link #PENALTY} of a {@link #penalisedCell} at the backend's weights, computed outside the training
   * graph: the cell outputs step by step (one-step evaluations, each from the state the previous one returned), then
   * {@code l2 * mean(a^2) + slowness * mean((a[t] - a[t-1])^2)}.
   */
  @SuppressWarnings("rawtypes")
  static double penalty(Backend b, Net net) {
    Batch.Tokens whole = (Batch.Tokens) net.batch();
    int n = whole.size();
    int steps = whole.steps();
    float[][] a = new float[steps][];
    float[] state = null;
    for (int t = 0; t < steps; t++) {
      int[] in = new int[n];
      int[] target = new int[n];
      for (int i = 0; i < n; i++) {
        in[i] = whole.inputs()[i * steps + t];
        target[i] = whole.targets()[i * steps + t];
      }
      state = b.evaluate(net.graph(), new Batch.Tokens(n, 1, in, target).withState(state)).state();
      a[t] = state.clone();
    }
    double squares = 0;
    double changes = 0;
    for (int t = 0; t < steps; t++) {
      for (int j = 0; j < a[t].length; j++) {
        squares += a[t][j] * (double) a[t][j];
        if (t > 0) {
          double d = a[t][j] - (double) a[t - 1][j];
          changes += d * d;
        }
      }
    }
    int width = a[0].length;
    return PENALTY.l2() * squares / (steps * width) + PENALTY.slowness() * changes / ((steps - 1) * width);
  }

  /** An LSTM language model: the state [h, c] sliced apart, one LSTM step, the softmax on h' tied to the embedding. */
  static Net lstm() {
    int vocabulary = 5;
    int hidden = 3;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("x", "tokens", TensorShape.of(1));
    String state = g.input("s", "state", TensorShape.of(2 * hidden));
    String e = g.op("emb", new Op.Embedding(vocabulary, hidden, k("lstm/emb")), tokens);
    String next = g.op("lstm", new Op.Lstm(k("lstm/cell")), e, g.op("h", new Op.Slice(0, hidden), state),
        g.op("c", new Op.Slice(hidden, 2 * hidden), state));
    String logits = g.op("logits", new Op.TiedDense(vocabulary, k("lstm/emb"), k("lstm/b")),
        g.op("top", new Op.Slice(0, hidden), next));
    int size = 2;
    int steps = 3;
    int[] in = new int[size * steps];
    int[] target = new int[size * steps];
    for (int i = 0; i < in.length; i++) {
      in[i] = (i * 3 + 2) % vocabulary;
      target[i] = (i * 2 + 1) % vocabulary;
    }
    return new Net(g.output(logits).output(next).build(), new Batch.Tokens(size, steps, in, target));
  }

  // --- (f) ------------------------------------------------------------------------------------------------------

  /** Columns {@code [from, to)} of a token batch's rows, a window that continues the previous one when from > 0. */
  static Batch.Tokens window(Batch.Tokens b, int from, int to) {
    int steps = to - from;
    int[] in = new int[b.size() * steps];
    int[] target = new int[b.size() * steps];
    for (int i = 0; i < b.size(); i++) {
      System.arraycopy(b.inputs(), i * b.steps() + from, in, i * steps, steps);
      System.arraycopy(b.targets(), i * b.steps() + from, target, i * steps, steps);
    }
    return new Batch.Tokens(b.size(), steps, in, target, from > 0, null);
  }

  @SuppressWarnings("rawtypes")
  static void carriedState(BackendProvider p) throws Exception {
    Net whole = cell(6);
    Batch.Tokens all = (Batch.Tokens) whole.batch();
    try (Backend b = create(p, 5)) {
      b.train(whole.graph(), all, 0.5); // weights away from their initial values
      double wholeLoss = b.evaluate(whole.graph(), all).loss();
      dev.enas.api.backend.Evaluation first = b.evaluate(whole.graph(), window(all, 0, 3));
      assertNotNull(first.state(), "a model with a state input returns its final state");
      assertEquals(all.size() * 4, first.state().length, "[size x width] floats");
      Batch.Tokens second = window(all, 3, 6);
      dev.enas.api.backend.Evaluation next = b.evaluate(whole.graph(), second.withState(first.state()));
      double carried = next.loss();
      assertEquals(wholeLoss, (first.loss() + carried) / 2, 1e-5 * Math.max(1, Math.abs(wholeLoss)),
          "two windows with the state carried compute the whole sequence");
      double fresh = b.evaluate(whole.graph(), second).loss();
      assertTrue(Math.abs(fresh - carried) > 1e-6, "the carried state changes the second window's loss (zeros: "
          + fresh + ", carried: " + carried + ")");
      dev.enas.api.backend.TrainResult trained = b.train(whole.graph(), second.withState(first.state()), 0.1);
      assertEquals(carried, trained.loss(), 1e-5 * Math.max(1, Math.abs(carried)));
      assertNotNull(trained.state(), "a training step returns its final state");
      assertEquals(next.state().length, trained.state().length);
      for (int i = 0; i < next.state().length; i++) {
        assertEquals(next.state()[i], trained.state()[i], 1e-5, "training's final state is evaluation's, element " + i);
      }
      Batch.Tokens wrong = second.withState(new float[all.size() * 3]);
      assertThrows(IllegalArgumentException.class, () -> b.evaluate(whole.graph(), wrong));
    }
  }

  /**
   * A state that sums, step by step, the mean of two dropouts naming one mask applied to the word's embedding (with
   * word dropout), so the final state shows the masks: sequence {@code i} reads word {@code i % 8} at every step, and
   * at rate 0.5 (scale 2) a kept element ends at {@code 2 x steps x embedding} for both the word and the mask.
   */
  @SuppressWarnings("rawtypes")
  static void variationalMasks(BackendProvider p) throws Exception {
    int vocabulary = 10;
    int words = 8;
    int width = 8;
    int size = 16;
    int steps = 5;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("x", "tokens", TensorShape.of(1));
    String state = g.input("h", "state", TensorShape.of(width));
    String e = g.op("emb", new Op.Embedding(vocabulary, width, k("vd/emb"), 0.5), tokens);
    String a = g.op("a", new Op.Dropout(0.5, "m"), e);
    String b = g.op("b", new Op.Dropout(0.5, "m"), e);
    String both = g.op("both", new Op.Mean(), a, b);
    String next = g.op("next", new Op.Add(), state, both);
    String logits = g.op("logits", new Op.Dense(vocabulary, true, k("vd/head")), next);
    Graph graph = g.output(logits).output(next).build();
    int[] in = new int[size * steps];
    for (int i = 0; i < size; i++) {
      for (int t = 0; t < steps; t++) {
        in[i * steps + t] = i % words;
      }
    }
    try (Backend backend = create(p, 5)) {
      backend.evaluate(graph, new Batch.Tokens(size, steps, in, in.clone())); // creates the weights
      Map<ParamKey, SharedWeights.Entry> w = saved(backend, "vd");
      float[] table = w.get(k("vd/emb")).values;
      java.util.Arrays.fill(table, 1f);
      set(backend, w);
      float[] s = backend.train(graph, new Batch.Tokens(size, steps, in, in.clone()), 0.0).state(); // no update
      assertNotNull(s);
      int kept = 0;
      boolean[] wordKept = new boolean[words];
      boolean[] wordSeen = new boolean[words];
      for (int i = 0; i < size; i++) {
        boolean anyKept = false;
        for (int j = 0; j < width; j++) {
          float v = s[i * width + j];
          // word kept (x2) and mask kept (x2) at every one of the steps, or dropped
          assertTrue(Math.abs(v) < 1e-5 || Math.abs(v - 4f * steps) < 1e-3, "sequence " + i + ", element " + j
              + ": " + v + " is neither 0 nor " + 4 * steps + ": the mask changed between steps or between the two "
              + "dropouts naming it, or the word's decision varied");
          if (v > 1) {
            kept++;
            anyKept = true;
          }
        }
        int word = i % words;
        if (wordSeen[word]) {
          assertTrue(wordKept[word] || !anyKept, "word " + word + " is dropped for one sequence and kept for another");
        }
        wordSeen[word] = true;
        wordKept[word] |= anyKept;
      }
      assertTrue(kept > 0 && kept < size * width / 2, "dropout at rate 0.5 twice keeps some but not most elements: "
          + kept + " of " + size * width);
      double evaluated = backend.evaluate(graph, new Batch.Tokens(size, steps, in, in.clone())).state()[0];
      assertEquals(steps, evaluated, 1e-4, "evaluation drops nothing");
    }
  }

  static Batch.Images images(int n, TensorShape shape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] px = new float[Math.toIntExact(n * shape.size())];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rng.nextGaussian();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
    }
    return new Batch.Images(n, shape, px, labels);
  }

  /** One tiny graph per op of the IR (and per variant of the spatial ops) whose gradient is checked. */
  static Map<String, Net> gradientNets() {
    Map<String, Net> nets = new LinkedHashMap<>();
    nets.put("Conv2d SAME", imageNet("c-same", new Op.Conv2d(3, 1, 1, 3, k("c-same/w"), Op.Padding.SAME)));
    nets.put("Conv2d VALID", imageNet("c-valid", new Op.Conv2d(3, 1, 1, 3, k("c-valid/w"), Op.Padding.VALID)));
    nets.put("Conv2d stride 2", imageNet("c-s2", new Op.Conv2d(3, 2, 1, 3, k("c-s2/w"), Op.Padding.SAME)));
    nets.put("Conv2d dilation 2", imageNet("c-d2", new Op.Conv2d(3, 1, 2, 3, k("c-d2/w"), Op.Padding.SAME)));
    nets.put("DepthwiseConv2d", imageNet("dw", new Op.DepthwiseConv2d(3, 1, 1, k("dw/w"))));
    nets.put("DepthwiseConv2d stride 2", imageNet("dw-s2", new Op.DepthwiseConv2d(3, 2, 1, k("dw-s2/w"))));
    nets.put("DepthwiseConv2d dilation 2", imageNet("dw-d2", new Op.DepthwiseConv2d(3, 1, 2, k("dw-d2/w"))));
    nets.put("Pool max SAME", imageNet("pms", new Op.Pool(Op.Pool.Kind.MAX, 3, 1, Op.Padding.SAME)));
    nets.put("Pool max VALID", imageNet("pmv", new Op.Pool(Op.Pool.Kind.MAX, 3, 1, Op.Padding.VALID)));
    nets.put("Pool avg SAME", imageNet("pas", new Op.Pool(Op.Pool.Kind.AVG, 3, 1, Op.Padding.SAME)));
    nets.put("Pool avg VALID", imageNet("pav", new Op.Pool(Op.Pool.Kind.AVG, 3, 2, Op.Padding.VALID)));
    nets.put("Identity", imageNet("id", new Op.Identity()));
    nets.put("FactorizedReduce", imageNet("fr", new Op.Act(Activation.RELU), new Op.FactorizedReduce(4, k("fr/w"))));
    nets.put("BatchNorm", imageNet("bn", new Op.BatchNorm(k("bn/bn"))));
    for (Activation a : Activation.values()) {
      nets.put("Act " + a, imageNet("act-" + a, new Op.Act(a)));
    }
    nets.put("Add", mergeNet("add", new Op.Add()));
    nets.put("Mean", mergeNet("mean", new Op.Mean()));
    nets.put("Concat", mergeNet("cat", new Op.Concat()));
    nets.put("GlobalAvgPool, Dense with bias", imageNet("gap"));
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    x = g.chain("body", x, Op.Conv2d.of(1, 3, k("nobias/stem")), new Op.GlobalAvgPool(),
        new Op.Dense(4, false, k("nobias/hidden")), new Op.Act(Activation.TANH), new Op.Dense(CLASSES, false,
            k("nobias/out")));
    nets.put("Dense without bias", new Net(g.output(x).build(), images(4, IMAGE, 13)));
    nets.put("Embedding, Highway, TiedDense (recurrent cell)", cell());
    nets.put("Lstm, Slice (LSTM language model)", lstm());
    return nets;
  }

  // --- weights through the tensor-store file ------------------------------------------------------------------

  static Map<ParamKey, SharedWeights.Entry> saved(Backend b, String name) throws IOException {
    Path f = tmp.resolve(name + "-" + System.nanoTime() + ".pb");
    b.save(f, SPACE);
    return TensorStoreFile.load(f, SPACE).entries();
  }

  static Map<ParamKey, SharedWeights.Entry> copy(Map<ParamKey, SharedWeights.Entry> m) {
    Map<ParamKey, SharedWeights.Entry> c = new TreeMap<>();
    m.forEach((key, e) -> c.put(key, new SharedWeights.Entry(e.shape, e.trainable, e.values.clone(),
        e.momentum == null ? null : e.momentum.clone())));
    return c;
  }

  /** Sets the backend's weights to {@code m} by writing a tensor-store file and loading it. */
  static void set(Backend b, Map<ParamKey, SharedWeights.Entry> m) throws IOException {
    SharedWeights w = new SharedWeights(0);
    w.replaceAll(copy(m));
    Path f = tmp.resolve("set-" + System.nanoTime() + ".pb");
    TensorStoreFile.save(f, SPACE, "contract-test", 0, w);
    b.load(f, SPACE);
  }

  // --- (a) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void gradient(String id, BackendProvider p, Net net) throws Exception {
    gradient(id, p, net, b -> b.evaluate(net.graph(), net.batch()).loss());
  }

  /** What a training step descends, computed at the backend's current weights without training. */
  @SuppressWarnings("rawtypes")
  interface Objective {
    double at(Backend b) throws Exception;
  }

  /**
   * As {@link #gradient(String, BackendProvider, Net)}, against a central difference of {@code objective} (the loss
   * plus what training adds to it); the train step's reported loss is still evaluate's.
   */
  @SuppressWarnings("rawtypes")
  static void gradient(String id, BackendProvider p, Net net, Objective objective) throws Exception {
    try (Backend b = create(p, 5)) {
      double loss = b.evaluate(net.graph(), net.batch()).loss();
      assertTrue(Double.isFinite(loss), "loss " + loss);
      Map<ParamKey, SharedWeights.Entry> w0 = saved(b, "w0");
      double base = objective.at(b);
      double trained = b.train(net.graph(), net.batch(), 1.0).loss();
      assertEquals(loss, trained, 1e-5 * Math.max(1, Math.abs(loss)),
          "train's loss (before its update) is evaluate's at the same weights");
      Map<ParamKey, SharedWeights.Entry> w1 = saved(b, "w1");
      SplittableRandom rng = new SplittableRandom(3);
      List<String> bad = new ArrayList<>();
      List<String> kinked = new ArrayList<>();
      int checked = 0;
      for (ParamSpec spec : net.graph().params()) {
        if (!spec.trainable()) {
          continue;
        }
        SharedWeights.Entry before = w0.get(spec.key());
        SharedWeights.Entry after = w1.get(spec.key());
        assertNotNull(before, spec.key() + " is not in the saved store");
        int n = before.values.length;
        for (int j = 0; j < Math.min(ELEMENTS_PER_TENSOR, n); j++) {
          int i = j == 0 ? 0 : rng.nextInt(n);
          double analytic = before.values[i] - after.values[i];
          Map<ParamKey, SharedWeights.Entry> plus = copy(w0);
          plus.get(spec.key()).values[i] += (float) H;
          set(b, plus);
          double lp = objective.at(b);
          Map<ParamKey, SharedWeights.Entry> minus = copy(w0);
          minus.get(spec.key()).values[i] -= (float) H;
          set(b, minus);
          double lm = objective.at(b);
          double numeric = (lp - lm) / (2 * H);
          double forward = (lp - base) / H;
          double backward = (base - lm) / H;
          if (Math.abs(forward - backward) > KINK * Math.max(Math.abs(forward), Math.abs(backward)) + ATOL) {
            // a ReLU or max-pool kink lies within h of this weight: the loss is not differentiable enough there
            kinked.add(spec.key() + "[" + i + "]");
            continue;
          }
          checked++;
          if (Math.abs(analytic - numeric) > RTOL * Math.max(Math.abs(analytic), Math.abs(numeric)) + ATOL) {
            bad.add(spec.key() + "[" + i + "]: train step gives " + analytic + ", central difference " + numeric);
          }
        }
      }
      assertTrue(checked > 0 && kinked.size() <= checked, "too few gradients checked: " + checked + ", passed over "
          + "at a kink: " + kinked);
      assertTrue(bad.isEmpty(), id + ": " + bad.size() + " of " + checked + " gradients off:\n  "
          + String.join("\n  ", bad));
    }
  }

  /** With the same weights, {@code net} evaluates as {@code same}: its op is the identity at evaluation. */
  @SuppressWarnings("rawtypes")
  static void sameAtEvaluation(BackendProvider p, Net net, Net same) throws Exception {
    try (Backend b = create(p, 5)) {
      b.train(net.graph(), net.batch(), 0.1);
      double a = b.evaluate(net.graph(), net.batch()).loss();
      double c = b.evaluate(same.graph(), net.batch()).loss();
      assertTrue(Double.isFinite(a), "loss " + a);
      assertEquals(c, a, 1e-6 * Math.max(1, Math.abs(c)));
      assertEquals(a, b.evaluate(net.graph(), net.batch()).loss(), 0.0, "evaluation is deterministic");
    }
  }

  /** Auxiliary logits: trained (their head moves), left out of evaluation. */
  @SuppressWarnings("rawtypes")
  static void auxLogits(BackendProvider p) throws Exception {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    x = g.op("stem", Op.Conv2d.of(3, 3, k("aux/stem")), x);
    String main = g.chain("main", x, new Op.GlobalAvgPool(), new Op.Dense(CLASSES, true, k("aux/head")));
    String aux = g.chain("aux", x, new Op.Act(Activation.RELU), new Op.GlobalAvgPool(),
        new Op.Dense(CLASSES, false, k("aux/fc")), new Op.AuxLogits(0.4));
    Graph with = g.output(main).output(aux).build();
    GraphBuilder h = new GraphBuilder();
    String y = h.input("in", "images", IMAGE);
    y = h.op("stem", Op.Conv2d.of(3, 3, k("aux/stem")), y);
    Graph without = h.output(h.chain("main", y, new Op.GlobalAvgPool(), new Op.Dense(CLASSES, true,
        k("aux/head")))).build();
    Batch batch = images(4, IMAGE, 14);
    try (Backend b = create(p, 5)) {
      b.train(with, batch, 0.5);
      float[] fc = saved(b, "aux0").get(k("aux/fc/w")).values;
      b.train(with, batch, 0.5);
      assertFalse(java.util.Arrays.equals(fc, saved(b, "aux1").get(k("aux/fc/w")).values), "the aux head is trained");
      assertEquals(b.evaluate(without, batch).loss(), b.evaluate(with, batch).loss(), 1e-6);
    }
  }

  // --- (b) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void sharedWeights(BackendProvider p) throws Exception {
    GraphBuilder g1 = new GraphBuilder();
    String x = g1.input("in", "images", IMAGE);
    Graph one = g1.output(g1.chain("c", x, Op.Conv2d.of(3, 3, k("s/conv")), new Op.GlobalAvgPool(),
        new Op.Dense(CLASSES, true, k("s/head")))).build();
    GraphBuilder g2 = new GraphBuilder();
    String y = g2.input("in", "images", IMAGE);
    Graph two = g2.output(g2.chain("c", y, Op.Conv2d.of(1, 3, k("s/other")), new Op.Act(Activation.RELU),
        new Op.GlobalAvgPool(), new Op.Dense(CLASSES, true, k("s/head")))).build();
    GraphBuilder g3 = new GraphBuilder();
    String z = g3.input("in", "images", IMAGE);
    Graph misfit = g3.output(g3.chain("c", z, new Op.GlobalAvgPool(), new Op.Dense(CLASSES + 1, true,
        k("s/head")))).build();
    Batch batch = images(4, IMAGE, 15);
    try (Backend b = create(p, 5)) {
      double before = b.evaluate(two, batch).loss();
      b.evaluate(one, batch);
      Map<ParamKey, SharedWeights.Entry> w0 = saved(b, "s0");
      b.train(one, batch, 0.5);
      Map<ParamKey, SharedWeights.Entry> w1 = saved(b, "s1");
      assertFalse(java.util.Arrays.equals(w0.get(k("s/head/w")).values, w1.get(k("s/head/w")).values),
          "training one child moves the shared head");
      assertTrue(java.util.Arrays.equals(w0.get(k("s/other")).values, w1.get(k("s/other")).values),
          "and not the other child's own weights");
      assertTrue(b.evaluate(two, batch).loss() != before, "the other child reads the moved head");
      b.train(two, batch, 0.5);
      Map<ParamKey, SharedWeights.Entry> w2 = saved(b, "s2");
      assertFalse(java.util.Arrays.equals(w1.get(k("s/head/w")).values, w2.get(k("s/head/w")).values),
          "training the other child moves the same tensor");
      assertEquals(w1.keySet(), w2.keySet(), "one tensor per key");
      assertThrows(IllegalArgumentException.class, () -> b.evaluate(misfit, batch), "a key used with two shapes");
      assertThrows(IllegalArgumentException.class, () -> b.train(misfit, batch, 0.1), "a key used with two shapes");
    }
  }

  // --- (c) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void roundTrip(String id, BackendProvider p) throws Exception {
    Net net = imageNet("rt", new Op.BatchNorm(k("rt/bn")), new Op.Act(Activation.RELU));
    Path f = tmp.resolve(id + "-roundtrip.pb");
    double expected;
    try (Backend b = create(p, 5)) {
      for (int i = 0; i < 3; i++) {
        b.train(net.graph(), net.batch(), 0.1);
      }
      expected = b.evaluate(net.graph(), net.batch()).loss();
      b.save(f, SPACE);
      assertEquals(id, TensorStoreFile.load(f, SPACE).backend(), "the file records its writer");
    }
    try (Backend b = create(p, 77)) {
      b.load(f, SPACE);
      assertEquals(expected, b.evaluate(net.graph(), net.batch()).loss(), 0.0, "evaluation after load");
      byte[] all = Files.readAllBytes(f);
      Path cut = tmp.resolve(id + "-truncated.pb");
      Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
      IOException e = assertThrows(IOException.class, () -> b.load(cut, SPACE));
      assertTrue(e.getMessage() != null && e.getMessage().contains(cut.getFileName().toString()), e.getMessage());
      assertThrows(IOException.class, () -> b.load(f, "another-space"), "weights of another space");
    }
  }

  // --- (h) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void averaging(String id, BackendProvider p) throws Exception {
    Net net = imageNet("avg");
    Path f = tmp.resolve(id + "-averaging.pb");
    double averagedLoss;
    try (Backend b = create(p, 5)) {
      b.train(net.graph(), net.batch(), 0.1);
      assertFalse(b.averaging());
      assertThrows(IllegalStateException.class, b::swapAveraged, "nothing to swap in before averaging starts");
      b.startAveraging();
      List<Map<ParamKey, SharedWeights.Entry>> seen = new ArrayList<>();
      seen.add(saved(b, "avg0"));
      for (int i = 1; i <= 3; i++) {
        b.train(net.graph(), net.batch(), 0.1);
        seen.add(saved(b, "avg" + i));
      }
      double plainLoss = b.evaluate(net.graph(), net.batch()).loss();
      b.swapAveraged();
      Map<ParamKey, SharedWeights.Entry> averaged = saved(b, "swapped");
      for (Map.Entry<ParamKey, SharedWeights.Entry> e : seen.get(0).entrySet()) {
        if (!e.getValue().trainable) {
          continue;
        }
        float[] mean = new float[e.getValue().values.length];
        for (Map<ParamKey, SharedWeights.Entry> w : seen) {
          float[] v = w.get(e.getKey()).values;
          for (int j = 0; j < mean.length; j++) {
            mean[j] += v[j] / seen.size();
          }
        }
        assertArrayEquals(mean, averaged.get(e.getKey()).values, 1e-5f, e.getKey() + ": the mean over the steps");
      }
      averagedLoss = b.evaluate(net.graph(), net.batch()).loss();
      assertTrue(averagedLoss != plainLoss, "evaluation reads the averaged weights while swapped");
      assertThrows(IllegalStateException.class, () -> b.train(net.graph(), net.batch(), 0.1),
          "no training on the averaged weights");
      b.swapAveraged();
      assertEquals(plainLoss, b.evaluate(net.graph(), net.batch()).loss(), 0.0, "swapped back");
      b.save(f, SPACE);
    }
    try (Backend b = create(p, 77)) {
      b.load(f, SPACE);
      assertTrue(b.averaging(), "a file saved while averaging resumes averaging");
      b.swapAveraged();
      assertEquals(averagedLoss, b.evaluate(net.graph(), net.batch()).loss(), 0.0, "the same means after load");
    }
  }

  // --- (d) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void badInput(BackendProvider p) throws Exception {
    Net net = imageNet("bad");
    GraphBuilder c = new GraphBuilder();
    String x = c.input("in", "images", IMAGE);
    GraphBuilder a = new GraphBuilder();
    Graph conv = a.output(a.op("c", Op.Conv2d.of(3, 3, k("bad/a")), a.input("i", "in", IMAGE))).build();
    GraphBuilder m = new GraphBuilder();
    Graph pool = m.output(m.op("p", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), m.input("i", "in", IMAGE))).build();
    String choice = c.layerChoice("choice", "layer0", List.of(x), List.of("conv", "pool"), List.of(conv, pool));
    Graph supernet = c.output(c.chain("head", choice, new Op.GlobalAvgPool(), new Op.Dense(CLASSES, true,
        k("bad/head")))).build();
    Batch.Images ok = (Batch.Images) net.batch();
    Batch.Images badLabel = new Batch.Images(ok.size(), ok.shape(), ok.pixels(), new int[] {0, 1, CLASSES, 0});
    TensorShape other = TensorShape.of(5, 5, 2);
    Batch otherShape = images(4, other, 1);
    try (Backend b = create(p, 5)) {
      assertThrows(IllegalArgumentException.class, () -> b.train(supernet, ok, 0.1), "choice nodes left");
      assertThrows(IllegalArgumentException.class, () -> b.evaluate(supernet, ok), "choice nodes left");
      assertThrows(IllegalArgumentException.class, () -> b.train(net.graph(), badLabel, 0.1), "label out of range");
      assertThrows(IllegalArgumentException.class, () -> b.evaluate(net.graph(), badLabel), "label out of range");
      assertThrows(IllegalArgumentException.class, () -> b.train(net.graph(), otherShape, 0.1), "image shape");
      assertThrows(IllegalArgumentException.class, () -> b.evaluate(net.graph(), otherShape), "image shape");
      assertTrue(Double.isFinite(b.evaluate(net.graph(), ok).loss()), "the backend still works");
    }
  }

  // --- (e) ------------------------------------------------------------------------------------------------------

  @SuppressWarnings("rawtypes")
  static void portable(String fromId, BackendProvider from, String toId, BackendProvider to) throws Exception {
    List<Net> nets = List.of(imageNet("pt", new Op.BatchNorm(k("pt/bn")), new Op.Act(Activation.RELU),
        new Op.DepthwiseConv2d(3, 1, 1, k("pt/dw")), new Op.Pool(Op.Pool.Kind.AVG, 3, 1)), cell());
    Path f = tmp.resolve(fromId + "-to-" + toId + ".pb");
    double[] expected = new double[nets.size()];
    try (Backend b = create(from, 5)) {
      for (Net n : nets) {
        for (int i = 0; i < 3; i++) {
          b.train(n.graph(), n.batch(), 0.1);
        }
      }
      for (int i = 0; i < nets.size(); i++) {
        expected[i] = b.evaluate(nets.get(i).graph(), nets.get(i).batch()).loss();
      }
      b.save(f, SPACE);
    }
    try (Backend b = create(to, 99)) {
      b.load(f, SPACE);
      for (int i = 0; i < nets.size(); i++) {
        double got = b.evaluate(nets.get(i).graph(), nets.get(i).batch()).loss();
        assertEquals(expected[i], got, PORTABLE_RTOL * Math.max(1, Math.abs(expected[i])), "net " + i
            + ": saved by " + fromId + ", evaluated on " + toId);
      }
    }
  }
}
