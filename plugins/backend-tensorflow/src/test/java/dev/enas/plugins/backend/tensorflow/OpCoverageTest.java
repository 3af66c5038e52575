package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every IR op runs forward and backward: one step moves every trainable tensor of a graph that uses them all,
 * including an auxiliary head's (it is trained).
 */
class OpCoverageTest {
  private static final TensorFlowBackendOptions NO_DECAY = TensorFlowBackendOptions.newBuilder().setWeightDecay(0)
      .build();

  static Graph everyImageOp() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", TensorShape.of(9, 9, 3));
    String a = g.op("conv", new Op.Conv2d(3, 1, 2, 6, k("conv")), x);
    a = g.op("bn", new Op.BatchNorm(k("bn")), a);
    String b = g.chain("sep", x, new Op.DepthwiseConv2d(3, 1, 2, k("dw")), Op.Conv2d.of(1, 6, k("pw")),
        new Op.DropPath(0.2));
    String c = g.chain("maxp", a, new Op.Pool(Op.Pool.Kind.MAX, 3, 1), new Op.Act(Activation.TANH));
    String d = g.chain("avgp", b, new Op.Pool(Op.Pool.Kind.AVG, 3, 1), new Op.Act(Activation.SIGMOID));
    String sum = g.op("add", new Op.Add(), a, c, d);
    String mean = g.op("mean", new Op.Mean(), b, g.op("id", new Op.Identity(), sum));
    String cat = g.op("cat", new Op.Concat(), sum, mean);
    String red = g.chain("reduce", cat, new Op.Act(Activation.RELU), new Op.FactorizedReduce(8, k("fr")),
        new Op.Conv2d(3, 2, 1, 8, k("strided")), new Op.Act(Activation.IDENTITY));
    String v = g.chain("head", red, new Op.GlobalAvgPool(), new Op.Dense(6, true, k("hidden")),
        new Op.BatchNorm(k("vbn")), new Op.Dropout(0.2), new Op.Dense(5, false, k("out")));
    // An auxiliary head in the reference's layout: 9x9 -> VALID 5x5/3 pool -> 2x2 -> VALID 2x2 conv -> 1x1.
    String aux = g.chain("aux", cat, new Op.Act(Activation.RELU),
        new Op.Pool(Op.Pool.Kind.AVG, 5, 3, Op.Padding.VALID), Op.Conv2d.of(1, 4, k("aux/proj")),
        new Op.Conv2d(2, 1, 1, 6, k("aux/conv"), Op.Padding.VALID), new Op.GlobalAvgPool(),
        new Op.Dense(5, false, k("aux/fc")), new Op.AuxLogits(0.4));
    return g.output(v).output(aux).build();
  }

  private static void assertEveryTrainableTensorMoves(TensorFlowBackend b, Graph g, Runnable step) {
    Map<ParamKey, float[]> before = new HashMap<>();
    for (ParamSpec p : g.params()) {
      if (p.trainable()) {
        before.put(p.key(), b.weights().copyOf(p.key()));
      }
    }
    step.run();
    for (Map.Entry<ParamKey, float[]> e : before.entrySet()) {
      assertFalse(Arrays.equals(e.getValue(), b.weights().copyOf(e.getKey())),
          e.getKey() + " got no gradient");
    }
  }

  @Test
  void everyImageOpRunsForwardAndBackward() {
    Graph g = everyImageOp();
    Batch.Images batch = TestNets.random(4, TensorShape.of(9, 9, 3), 5, 1);
    try (TensorFlowBackend b = backend(NO_DECAY, 1)) {
      b.evaluate(g, batch);
      assertEveryTrainableTensorMoves(b, g, () -> b.train(g, batch, 0.1));
      assertTrue(Double.isFinite(b.evaluate(g, batch).loss()));
    }
  }

  /** A recurrent cell: embedding, two highway nodes carrying the state, a softmax layer tied to the embedding. */
  static Graph cell(int vocabulary, int hidden) {
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("x", "tokens", TensorShape.of(1));
    String state = g.input("h", "state", TensorShape.of(hidden));
    String e = g.op("emb", new Op.Embedding(vocabulary, hidden, k("emb")), tokens);
    String n1 = g.op("n1", new Op.Highway(Activation.TANH, k("w1")), e, state);
    String n2 = g.op("n2", new Op.Highway(Activation.RELU, k("w2")), n1);
    String out = g.op("out", new Op.Mean(), n1, n2);
    String logits = g.op("logits", new Op.TiedDense(vocabulary, k("emb"), k("softmax/b")), out);
    return g.output(logits).output(out).build();
  }

  /** Sequences where each token is the previous one plus one, modulo the vocabulary. */
  static Batch.Tokens counting(int size, int steps, int vocabulary) {
    int[] in = new int[size * steps];
    int[] target = new int[size * steps];
    for (int i = 0; i < size; i++) {
      for (int t = 0; t < steps; t++) {
        in[i * steps + t] = (i + t) % vocabulary;
        target[i * steps + t] = (i + t + 1) % vocabulary;
      }
    }
    return new Batch.Tokens(size, steps, in, target);
  }

  /**
   * The recurrent ops learn a counting sequence, unrolled. Margins, and why they are not this machine's: at the rate
   * this test used before (3.0, Nesterov momentum 0.9) 13 of 20 initial seeds diverged (the loss ended up to 76x
   * higher), so whether it passed depended on the last bits of one trajectory. At 1.0, on an AVX-512 EPYC, 20 of 20
   * seeds, with oneDNN's kernels and without, ended with every token right and the loss 230x to 2000x lower after 60
   * steps. Chance is 1/7; we ask for 0.6 and a loss 10x lower, which a cell that does not learn (learning rate 0, a
   * wrong gradient) cannot reach.
   */
  @Test
  void recurrentCellOpsRunUnrolledAndLearn() {
    Graph g = cell(7, 8);
    Batch.Tokens batch = counting(7, 4, 7);
    try (TensorFlowBackend b = backend(NO_DECAY, 1)) {
      b.evaluate(g, batch);
      TrainResult[] first = new TrainResult[1];
      assertEveryTrainableTensorMoves(b, g, () -> first[0] = b.train(g, batch, 1.0));
      TrainResult last = first[0];
      for (int i = 0; i < 60; i++) {
        last = b.train(g, batch, 1.0);
      }
      double accuracy = b.evaluate(g, batch).accuracy();
      assertTrue(last.loss() < first[0].loss() / 10, "loss from " + first[0].loss() + " to " + last.loss());
      assertTrue(accuracy >= 0.6, "accuracy " + accuracy + " on a counting sequence (chance 1/7)");
    }
  }

  /** An LSTM language model: the state input is [h, c], sliced apart; the next state is the LSTM's [h', c']. */
  static Graph lstm(int vocabulary, int hidden) {
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("x", "tokens", TensorShape.of(1));
    String state = g.input("s", "state", TensorShape.of(2 * hidden));
    String e = g.op("emb", new Op.Embedding(vocabulary, hidden, k("emb")), tokens);
    String next = g.op("lstm", new Op.Lstm(k("lstm")), e, g.op("h", new Op.Slice(0, hidden), state),
        g.op("c", new Op.Slice(hidden, 2 * hidden), state));
    String logits = g.op("logits", new Op.TiedDense(vocabulary, k("emb"), k("softmax/b")),
        g.op("top", new Op.Slice(0, hidden), next));
    return g.output(logits).output(next).build();
  }

  /** The LSTM and slices learn the counting sequence too (margins as for the highway cell above). */
  @Test
  void lstmOpsRunUnrolledAndLearn() {
    Graph g = lstm(7, 8);
    Batch.Tokens batch = counting(7, 4, 7);
    try (TensorFlowBackend b = backend(NO_DECAY, 1)) {
      TrainResult[] first = new TrainResult[1];
      assertEveryTrainableTensorMoves(b, g, () -> first[0] = b.train(g, batch, 1.0));
      TrainResult last = first[0];
      for (int i = 0; i < 60; i++) {
        last = b.train(g, batch, 1.0);
      }
      double accuracy = b.evaluate(g, batch).accuracy();
      assertTrue(last.loss() < first[0].loss() / 10, "loss from " + first[0].loss() + " to " + last.loss());
      assertTrue(accuracy >= 0.6, "accuracy " + accuracy + " on a counting sequence (chance 1/7)");
    }
  }

  @Test
  void supportedOpsAreEveryOpOfTheIr() {
    try (TensorFlowBackend b = backend(1)) {
      Set<Class<?>> all = new HashSet<>(Arrays.asList(Op.class.getPermittedSubclasses()));
      assertEquals(all, new HashSet<>(b.supportedOps()));
      assertEquals(22, all.size());
    }
  }
}
