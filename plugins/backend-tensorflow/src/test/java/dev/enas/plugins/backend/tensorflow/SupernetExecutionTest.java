package dev.enas.plugins.backend.tensorflow;

import dev.enas.support.backend.BatchLayout;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.ParamInit;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code execution: SUPERNET}: children of a supernet run on one graph of the whole supernet with their choices fed
 * as gates. They must give the results of the same children compiled one by one, and a step must touch only the
 * tensors the child reads.
 */
class SupernetExecutionTest {
  private static final TensorShape IMAGE = TensorShape.of(8, 8, 1);
  private static final int CLASSES = 4;
  private static Graph supernet;
  private static Batch.Images batch;

  /**
   * Every choice form the conv spaces use: a single input choice, a layer choice whose weights depend on that input
   * choice (a key template), a multi input choice summing optional projections, and loose ends.
   */
  @BeforeAll
  static void build() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    g.op("stem", Op.Conv2d.of(3, 4, k("stem")), x);
    g.op("n0", new Op.BatchNorm(k("n0/bn")), "stem");
    g.inputChoice("ic", "ic", List.of(), List.of("stem", "n0"), false, Node.Combine.SUM);
    g.layerChoice("lc", "lc", List.of("ic"), List.of("conv", "pool"), List.of(convCandidate(), poolCandidate()));
    List<String> ends = List.of("n0", "lc");
    List<String> projections = new ArrayList<>();
    for (String end : ends) {
      g.op("out/relu_" + end, new Op.Act(Activation.RELU), end);
      projections.add(g.op("out/w_" + end, Op.Conv2d.of(1, 4, k("out/w_" + end)), "out/relu_" + end));
    }
    g.looseEnds("out", ends, projections, Node.Combine.SUM);
    g.op("skip_from_stem", Op.Conv2d.of(1, 4, k("skip/stem")), "stem");
    g.op("skip_from_n0", Op.Conv2d.of(1, 4, k("skip/n0")), "n0");
    g.inputChoice("skip", "skip", List.of("out"), List.of("skip_from_stem", "skip_from_n0"), true,
        Node.Combine.SUM);
    g.op("skip_bn", new Op.BatchNorm(k("skip/bn")), "skip");
    g.op("gap", new Op.GlobalAvgPool(), "skip_bn");
    g.op("fc", new Op.Dense(CLASSES, true, k("fc")), "gap");
    supernet = g.output("fc").build();
    batch = TestNets.random(16, IMAGE, CLASSES, 5);
  }

  private static Graph convCandidate() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "x", TensorShape.of(8, 8, 4));
    x = b.op("relu", new Op.Act(Activation.RELU), x);
    x = b.op("conv", Op.Conv2d.of(3, 4, k("lc/in{ic}/conv")), x);
    x = b.op("bn", new Op.BatchNorm(k("lc/in{ic}/bn")), x);
    return b.output(x).build();
  }

  private static Graph sharedKeyCandidate(int kernel) {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "x", IMAGE);
    return b.output(b.op("conv", Op.Conv2d.of(kernel, 4, k("shared/w")), x)).build();
  }

  private static Graph poolCandidate() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "x", TensorShape.of(8, 8, 4));
    return b.output(b.op("pool", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), x)).build();
  }

  private static Graph child(int input, int op, int skipStem, int skipN0) {
    Map<String, int[]> v = new HashMap<>();
    v.put("ic", new int[] {input});
    v.put("lc", new int[] {op});
    v.put("skip", new int[] {skipStem, skipN0});
    return supernet.resolve(v);
  }

  private static List<Graph> everyChild() {
    List<Graph> all = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (int o = 0; o < 2; o++) {
        for (int s = 0; s < 4; s++) {
          all.add(child(i, o, s & 1, s >> 1));
        }
      }
    }
    return all;
  }

  private static TensorFlowBackend backend(Execution execution) {
    return TestNets.backend(TensorFlowBackendOptions.newBuilder().setExecution(execution).build(), 11);
  }

  @Test
  void everyChildTrainsAndEvaluatesAsItsOwnGraphWould() {
    try (TensorFlowBackend whole = backend(Execution.SUPERNET); TensorFlowBackend alone = backend(Execution.PER_CHILD)) {
      for (Graph c : everyChild()) {
        double a = whole.train(c, batch, 0.1).loss();
        double b = alone.train(c, batch, 0.1).loss();
        assertEquals(b, a, 1e-4, "training loss of " + c.origin().orElseThrow().values().keySet());
      }
      for (Graph c : everyChild()) {
        assertEquals(alone.evaluate(c, batch).loss(), whole.evaluate(c, batch).loss(), 1e-4);
      }
      // The per-child store holds every tensor some child read; the supernet store must agree on each.
      for (Map.Entry<ParamKey, SharedWeights.Entry> e : alone.weights().entries().entrySet()) {
        float[] want = e.getValue().values;
        float[] got = whole.weights().copyOf(e.getKey());
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-4, e.getKey() + "[" + i + "]");
        }
      }
      assertEquals(0, whole.cache().misses(), "children compiled on their own");
    }
  }

  @Test
  void aResolvedChildRemembersItsSupernetAndValues() {
    int[] ic = {1};
    Map<String, int[]> v = new HashMap<>(Map.of("ic", ic, "lc", new int[] {0}, "skip", new int[] {1, 1}));
    Graph c = supernet.resolve(v);
    ic[0] = 0; // the child keeps its own copy
    Graph.Resolution r = c.origin().orElseThrow();
    assertTrue(r.supernet() == supernet);
    assertArrayEquals(new int[] {1}, r.values().get("ic"));
    assertTrue(BatchLayout.withoutAuxOutputs(c).origin().isPresent());
    assertTrue(TestNets.convNet(IMAGE, 4, CLASSES, null, null).origin().isEmpty());
  }

  @Test
  void aStepTouchesOnlyTheTensorsTheChildReads() {
    Graph a = child(0, 0, 1, 0);
    Graph b = child(1, 1, 0, 1);
    Set<ParamKey> onlyB = keys(b);
    onlyB.removeAll(keys(a));
    // Moving averages of B's batch norms that A does not use.
    for (ParamKey key : new ArrayList<>(onlyB)) {
      if (key.value().endsWith("/scale")) {
        String bn = key.value().substring(0, key.value().length() - "/scale".length());
        onlyB.add(ParamKey.of(bn + "/moving_mean"));
        onlyB.add(ParamKey.of(bn + "/moving_variance"));
      }
    }
    assertTrue(onlyB.contains(k("lc/in1/bn/scale")) || onlyB.contains(k("skip/n0")), "the children share too much");
    try (TensorFlowBackend whole = backend(Execution.SUPERNET)) {
      whole.train(b, batch, 0.1);
      Map<ParamKey, float[]> before = new HashMap<>();
      Map<ParamKey, float[]> momentumBefore = new HashMap<>();
      for (ParamKey key : onlyB) {
        SharedWeights.Entry e = whole.weights().get(key);
        before.put(key, e.values.clone());
        if (e.momentum != null) {
          momentumBefore.put(key, e.momentum.clone());
        }
      }
      float[] sharedBefore = whole.weights().copyOf(k("fc/w"));
      whole.train(a, batch, 0.1);
      for (ParamKey key : onlyB) {
        assertArrayEquals(before.get(key), whole.weights().get(key).values, key.toString());
        if (momentumBefore.containsKey(key)) {
          assertArrayEquals(momentumBefore.get(key), whole.weights().get(key).momentum, key + " momentum");
        }
      }
      assertNotEquals(sharedBefore[0], whole.weights().copyOf(k("fc/w"))[0], "a tensor both read did change");
    }
  }

  private static Set<ParamKey> keys(Graph child) {
    Set<ParamKey> keys = new HashSet<>();
    for (ParamSpec p : child.params()) {
      keys.add(p.key());
    }
    return keys;
  }

  @Test
  void theSameSeedGivesTheSameLossesTwice() {
    double[][] runs = new double[2][];
    for (int r = 0; r < 2; r++) {
      try (TensorFlowBackend whole = backend(Execution.SUPERNET)) {
        List<Graph> kids = everyChild();
        runs[r] = new double[kids.size()];
        for (int i = 0; i < kids.size(); i++) {
          runs[r][i] = whole.train(kids.get(i), batch, 0.1).loss();
        }
      }
    }
    assertArrayEquals(runs[0], runs[1]);
  }

  @Test
  void whatCannotRunAsOneGraphIsAClearError() {
    try (TensorFlowBackend whole = backend(Execution.SUPERNET)) {
      Graph handBuilt = TestNets.convNet(IMAGE, 4, CLASSES, null, null);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> whole.train(handBuilt, batch, 0.1));
      assertTrue(e.getMessage().contains("hand-built graph"), e.getMessage());

      Graph concat = concatOfLooseEnds();
      e = assertThrows(IllegalArgumentException.class, () -> whole.train(concat, batch, 0.1));
      assertTrue(e.getMessage().contains("cannot run as one graph") && e.getMessage().contains("CONCAT"),
          e.getMessage());
      // One key read by two candidates: TensorFlow would add the taken branch's gradient to the other's dead one.
      GraphBuilder shared = new GraphBuilder();
      String in = shared.input("in", "images", IMAGE);
      shared.layerChoice("lc", "lc", List.of(in), List.of("a", "b"), List.of(sharedKeyCandidate(3),
          sharedKeyCandidate(3)));
      shared.op("gap", new Op.GlobalAvgPool(), "lc");
      shared.op("fc", new Op.Dense(CLASSES, true, k("fc")), "gap");
      Graph twice = shared.output("fc").build().resolve(Map.of("lc", new int[] {1}));
      e = assertThrows(IllegalArgumentException.class, () -> whole.train(twice, batch, 0.1));
      assertTrue(e.getMessage().contains("shared/w is used by more than one op"), e.getMessage());
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(TensorFlowBackendOptions.newBuilder().setExecutionValue(9).build()));
    assertTrue(bad.getMessage().contains("execution"), bad.getMessage());
  }

  /** A resolved child whose supernet's loose ends are concatenated: a form the supernet lowering refuses. */
  private static Graph concatOfLooseEnds() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", IMAGE);
    g.op("a", Op.Conv2d.of(3, 4, k("a")), x);
    g.op("b", Op.Conv2d.of(3, 4, k("b")), x);
    g.inputChoice("pick", "pick", List.of(), List.of("a", "b"), false, Node.Combine.SUM);
    g.looseEnds("out", List.of("a", "b"), List.of("a", "b"), Node.Combine.CONCAT);
    g.op("gap", new Op.GlobalAvgPool(), "out");
    g.op("fc", new Op.Dense(CLASSES, true, k("fc")), "gap");
    return g.output("fc").build().resolve(Map.of("pick", new int[] {0}));
  }

  @Test
  void theDefaultRunsChildrenOfASupernetOnItsGraphAndCompilesTheRestOnTheirOwn() {
    try (TensorFlowBackend auto = backend(Execution.EXECUTION_UNSET); TensorFlowBackend whole = backend(Execution.SUPERNET)) {
      assertEquals(Execution.AUTO, auto.settings().execution());
      assertTrue(auto.device().endsWith("search children on one supernet graph"), auto.device());
      for (Graph c : everyChild()) {
        assertEquals(whole.train(c, batch, 0.1).loss(), auto.train(c, batch, 0.1).loss());
        assertEquals(whole.evaluate(c, batch).loss(), auto.evaluate(c, batch).loss());
      }
      assertEquals(0, auto.cache().misses(), "no child of the supernet was compiled on its own");

      assertTrue(Double.isFinite(auto.train(TestNets.convNet(IMAGE, 4, CLASSES, null, null), batch, 0.1).loss()));
      assertEquals(1, auto.cache().misses(), "a hand-built graph is compiled on its own");
      Graph concat = concatOfLooseEnds();
      assertTrue(Double.isFinite(auto.train(concat, batch, 0.1).loss()));
      assertTrue(Double.isFinite(auto.train(concat, batch, 0.1).loss()));
      assertEquals(2, auto.cache().misses(), "a child of a supernet the lowering refuses is compiled on its own, once");
    }
  }
}
