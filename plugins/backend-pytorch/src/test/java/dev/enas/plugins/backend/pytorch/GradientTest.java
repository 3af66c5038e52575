package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.BatchNormEval;
import dev.enas.support.weights.SharedWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every trainable op's gradient, as the Backend API applies it, against a central-difference numerical gradient of
 * the evaluated loss: with plain SGD at learning rate 1 a step moves each weight by {@code -g}, and evaluation with
 * {@code bn_eval: BATCH_STATISTICS} computes the training loss without changing anything.
 */
class GradientTest {
  private static final PyTorchBackendOptions SGD = TestNets.plainSgd().toBuilder()
      .setBnEval(BatchNormEval.BATCH_STATISTICS).build();

  /** Conv (SAME, strided, asymmetric), dilated conv, depthwise, pools, factorized reduce, BN, concat, dense. */
  @Test
  void imageOps() {
    TensorShape s = TensorShape.of(5, 5, 2);
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", s);
    String a = g.op("conv", new Op.Conv2d(3, 2, 1, 4, k("conv")), x); // 5 -> 3, asymmetric SAME
    a = g.op("bn", new Op.BatchNorm(k("bn")), a);
    a = g.op("tanh", new Op.Act(Activation.TANH), a);
    String d = g.op("dil", new Op.Conv2d(3, 1, 2, 4, k("dil")), a);
    String dw = g.op("dw", new Op.DepthwiseConv2d(3, 1, 2, k("dw")), a);
    String sum = g.op("add", new Op.Add(), d, dw);
    String mx = g.op("max", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), sum);
    String av = g.op("avg", new Op.Pool(Op.Pool.Kind.AVG, 3, 2), sum);
    String fr = g.op("fr", new Op.FactorizedReduce(4, k("fr")), mx);
    String cat = g.op("cat", new Op.Concat(), fr, av);
    String gap = g.op("gap", new Op.GlobalAvgPool(), cat);
    Graph net = g.output(g.op("fc", new Op.Dense(3, true, k("fc")), gap)).build();
    check(net, TestNets.random(4, s, 3, 2));
  }

  /** Embedding, highway (with a state input), dense without bias, tied dense, vector batch norm. */
  @Test
  void tokenOps() {
    int vocab = 6;
    int hidden = 4;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("tok", "tokens", TensorShape.of(1));
    String state = g.input("st", "state", TensorShape.of(hidden));
    String e = g.op("emb", new Op.Embedding(vocab, hidden, k("emb")), tokens);
    String h1 = g.op("hw1", new Op.Highway(Activation.TANH, k("hw1")), e, state);
    String h2 = g.op("hw2", new Op.Highway(Activation.SIGMOID, k("hw2")), h1);
    String p = g.op("proj", new Op.Dense(hidden, false, k("proj")), h2);
    String bn = g.op("bn", new Op.BatchNorm(k("vbn")), p);
    String out = g.op("out", new Op.TiedDense(vocab, k("emb"), k("bias")), bn);
    Graph net = g.output(out).output(h2).build();
    int n = 3;
    int steps = 3;
    int[] in = new int[n * steps];
    int[] target = new int[n * steps];
    for (int i = 0; i < in.length; i++) {
      in[i] = (i * 5 + 1) % vocab;
      target[i] = (i * 7 + 2) % vocab;
    }
    check(net, new Batch.Tokens(n, steps, in, target));
  }

  @Test
  void lstmAndSlices() {
    int vocab = 5;
    int hidden = 3;
    GraphBuilder g = new GraphBuilder();
    String tokens = g.input("tok", "tokens", TensorShape.of(1));
    String state = g.input("st", "state", TensorShape.of(2 * hidden));
    String e = g.op("emb", new Op.Embedding(vocab, hidden, k("emb")), tokens);
    String next = g.op("lstm", new Op.Lstm(k("lstm")), e, g.op("h", new Op.Slice(0, hidden), state),
        g.op("c", new Op.Slice(hidden, 2 * hidden), state));
    String out = g.op("out", new Op.TiedDense(vocab, k("emb"), k("bias")), g.op("top", new Op.Slice(0, hidden), next));
    Graph net = g.output(out).output(next).build();
    int n = 3;
    int steps = 3;
    int[] in = new int[n * steps];
    int[] target = new int[n * steps];
    for (int i = 0; i < in.length; i++) {
      in[i] = (i * 5 + 1) % vocab;
      target[i] = (i * 7 + 2) % vocab;
    }
    check(net, new Batch.Tokens(n, steps, in, target));
  }

  private static void check(Graph net, Batch batch) {
    try (PyTorchBackend b = TestNets.backend(SGD, 3)) {
      b.evaluate(net, batch); // creates every tensor from its initialiser
      List<ParamSpec> trainable = net.params().stream().filter(ParamSpec::trainable).toList();
      List<float[]> before = new ArrayList<>();
      for (ParamSpec p : trainable) {
        before.add(b.weights().copyOf(p.key()));
      }
      b.train(net, batch, 1.0);
      List<float[]> analytic = new ArrayList<>();
      for (int i = 0; i < trainable.size(); i++) {
        float[] after = b.weights().copyOf(trainable.get(i).key());
        float[] grad = new float[after.length];
        for (int j = 0; j < grad.length; j++) {
          grad[j] = before.get(i)[j] - after[j];
        }
        analytic.add(grad);
        System.arraycopy(before.get(i), 0, b.weights().get(trainable.get(i).key()).values, 0, after.length);
      }
      double h = 1e-2;
      List<String> failures = new ArrayList<>();
      int checked = 0;
      for (int i = 0; i < trainable.size(); i++) {
        ParamKey key = trainable.get(i).key();
        SharedWeights.Entry e = b.weights().get(key);
        int size = e.values.length;
        for (int j = 0; j < Math.min(size, 5); j++) {
          int idx = (int) ((long) j * 7919 % size);
          float w = e.values[idx];
          e.values[idx] = (float) (w + h);
          double up = b.evaluate(net, batch).loss();
          e.values[idx] = (float) (w - h);
          double down = b.evaluate(net, batch).loss();
          e.values[idx] = w;
          double numeric = (up - down) / (2 * h);
          double got = analytic.get(i)[idx];
          checked++;
          if (Math.abs(numeric - got) > 2e-3 + 0.05 * Math.abs(numeric)) {
            failures.add(key + "[" + idx + "]: backprop " + got + ", numeric " + numeric);
          }
        }
      }
      assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " gradients differ: " + failures);
    }
  }
}
