package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import dev.enas.support.weights.ParamInit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingTest {
  private static final TensorShape SHAPE = TensorShape.of(8, 8, 1);

  /** A net with every random op, an auxiliary head and batch norm, for the repeatability checks. */
  static Graph noisyNet() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SHAPE);
    x = g.op("stem", Op.Conv2d.of(3, 4, k("stem")), x);
    x = g.op("bn", new Op.BatchNorm(k("bn")), x);
    x = g.op("relu", new Op.Act(Activation.RELU), x);
    x = g.op("dp", new Op.DropPath(0.3), x);
    x = g.op("pool", new Op.Pool(Op.Pool.Kind.MAX, 3, 2), x);
    String gap = g.op("gap", new Op.GlobalAvgPool(), x);
    String drop = g.op("drop", new Op.Dropout(0.3), gap);
    String logits = g.op("fc", new Op.Dense(4, true, k("fc")), drop);
    String aux = g.op("aux", new Op.AuxLogits(0.4), g.op("auxfc", new Op.Dense(4, true, k("auxfc")), gap));
    return g.output(logits).output(aux).build();
  }

  @Test
  void aSmallConvNetOverfitsEightImages() {
    Graph net = TestNets.convNet(SHAPE, 8, 4, Op.Conv2d.of(3, 8, k("mid")), "mid");
    Batch.Images batch = TestNets.quadrants(8, SHAPE, 4, 1);
    try (PyTorchBackend b = TestNets.backend(1)) {
      TrainResult first = b.train(net, batch, 0.1);
      TrainResult last = first;
      for (int i = 0; i < 80; i++) {
        last = b.train(net, batch, 0.1);
      }
      assertTrue(last.loss() < first.loss() / 3, first + " -> " + last);
      assertEquals(1.0, last.accuracy(), 1e-9, last.toString());
      assertTrue(b.evaluate(net, batch).accuracy() >= 0.75, "moving averages serve evaluation");
    }
  }

  @Test
  void theSameSeedTrainsToIdenticalWeightsAndInitialWeightsAreTheStoresInitialisers() {
    Graph net = noisyNet();
    Batch.Images batch = TestNets.random(6, SHAPE, 4, 2);
    float[][] first = null;
    for (int run = 0; run < 2; run++) {
      try (PyTorchBackend b = TestNets.backend(5)) {
        b.evaluate(net, batch);
        for (ParamSpec p : net.params()) {
          if (!p.key().value().startsWith("aux")) { // evaluation ignores the auxiliary head
            assertArrayEquals(ParamInit.values(p, 5), b.weights().copyOf(p.key()), p.key().value());
          }
        }
        for (int i = 0; i < 5; i++) {
          b.train(net, batch, 0.05, 0.5 + i / 10.0);
        }
        float[][] w = net.params().stream().map(p -> b.weights().copyOf(p.key())).toArray(float[][]::new);
        if (first == null) {
          first = w;
        } else {
          for (int i = 0; i < w.length; i++) {
            assertArrayEquals(first[i], w[i], "tensor " + i);
          }
        }
      }
    }
  }

  @Test
  void dropPathAtProgressZeroIsTheIdentityAndAuxHeadsJoinOnlyTheTrainingLoss() {
    Graph net = noisyNet();
    Batch.Images batch = TestNets.random(6, SHAPE, 4, 3);
    try (PyTorchBackend b = TestNets.backend(TestNets.plainSgd().toBuilder()
        .setBnEval(PyTorchBackendOptions.BatchNormEval.BATCH_STATISTICS).build(), 1)) {
      double eval = b.evaluate(net, batch).loss();
      // Dropout is still active in training, so compare against a net without it.
      double train = b.train(net, batch, 0.0, 0.0).loss();
      assertTrue(train > eval, "the auxiliary head's weighted loss is added in training: " + train + " vs " + eval);
    }
  }

  @Test
  void aNonFiniteLossNamesTheLearningRate() {
    Graph net = TestNets.convNet(SHAPE, 4, 4, null, null);
    Batch.Images batch = TestNets.random(4, SHAPE, 4, 1);
    try (PyTorchBackend b = TestNets.backend(TestNets.plainSgd(), 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
        for (int i = 0; i < 20; i++) {
          b.train(net, batch, 1e30);
        }
      });
      assertTrue(e.getMessage().contains("1.0E30"), e.getMessage());
    }
  }

  /** A sampled cell of the shipped recurrent space learns a counting sequence (loss falls, tokens predicted). */
  @Test
  void anRnnSpaceChildLearnsACountingSequence() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setWordDropout(0).setEmbeddingDropout(0)
        .setInputDropout(0).setBetweenDropout(0).setOutputDropout(0).setSlowness(0).setNumNodes(4).setHiddenSize(16)
        .setVocabSize(11).build());
    int size = 11;
    int steps = 6;
    int[] in = new int[size * steps];
    int[] target = new int[size * steps];
    for (int i = 0; i < size; i++) {
      for (int t = 0; t < steps; t++) {
        in[i * steps + t] = (i + t) % 11;
        target[i * steps + t] = (i + t + 1) % 11;
      }
    }
    Batch.Tokens batch = new Batch.Tokens(size, steps, in, target);
    PyTorchBackendOptions lm = PyTorchBackendOptions.newBuilder().setMomentum(0).setClipBound(0.25).build();
    try (PyTorchBackend b = TestNets.backend(lm, 3)) {
      Graph child = rnn.child(rnn.schema().uniform(new SplittableRandom(5)));
      TrainResult first = b.train(child, batch, 20);
      TrainResult last = first;
      for (int i = 0; i < 160; i++) {
        last = b.train(child, batch, 20);
      }
      double accuracy = b.evaluate(child, batch).accuracy();
      assertTrue(last.loss() < first.loss() / 10, "loss from " + first.loss() + " to " + last.loss());
      assertTrue(accuracy >= 0.6, "accuracy " + accuracy + " on a counting sequence (chance 1/11)");
    }
  }

  /**
   * A garbage collection between forward and backward must not change a step: DJL's arithmetic with a Java number
   * frees a scalar the autograd graph still reads, which made this run NaN within 1-2 steps (the cell's output is a
   * mean of its loose ends, a multiplication by 1/n).
   */
  @Test
  void aGarbageCollectionBeforeBackwardChangesNothing() {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setWordDropout(0).setEmbeddingDropout(0)
        .setInputDropout(0).setBetweenDropout(0).setOutputDropout(0).setNumNodes(4).setHiddenSize(16)
        .setVocabSize(11).build());
    Graph child = rnn.child(rnn.schema().uniform(new SplittableRandom(6)));
    int[] in = new int[4 * 5];
    int[] target = new int[4 * 5];
    for (int i = 0; i < in.length; i++) {
      in[i] = i % 11;
      target[i] = (i + 1) % 11;
    }
    Batch.Tokens batch = new Batch.Tokens(4, 5, in, target);
    PyTorchBackendOptions lm = PyTorchBackendOptions.newBuilder().setMomentum(0).setClipBound(0.25).build();
    double[] plain = new double[20];
    double[] collected = new double[20];
    try (PyTorchBackend a = TestNets.backend(lm, 3); PyTorchBackend b = TestNets.backend(lm, 3)) {
      b.beforeBackward = System::gc;
      for (int i = 0; i < plain.length; i++) {
        plain[i] = a.train(child, batch, 20).loss();
        collected[i] = b.train(child, batch, 20).loss();
      }
    }
    assertArrayEquals(plain, collected, "losses with a collection before every backward");
  }
}
