package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.backend;
import static dev.enas.plugins.backend.pytorch.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad graphs and batches are clear errors that name what is wrong. */
class InputCheckTest {
  private static final TensorShape SHAPE = TensorShape.of(4, 4, 1);

  private static void assertRefused(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message should name " + f + ": " + e.getMessage());
    }
  }

  @Test
  void anUnresolvedSupernetIsRefused() {
    Graph candidate = TestNets.convNet(SHAPE, 2, 2, null, null);
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SHAPE);
    GraphBuilder c1 = new GraphBuilder();
    c1.output(c1.op("p", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), c1.input("i", "x", SHAPE)));
    Graph supernet = g.output(g.layerChoice("L", "layer0", List.of(x), List.of("max"), List.of(c1.build()))).build();
    try (PyTorchBackend b = backend(1)) {
      assertRefused(() -> b.train(supernet, TestNets.random(2, SHAPE, 2, 1), 0.1), "resolve");
      b.evaluate(candidate, TestNets.random(2, SHAPE, 2, 1));
    }
  }

  @Test
  void aBatchOfAnotherImageShapeIsRefused() {
    try (PyTorchBackend b = backend(1)) {
      assertRefused(() -> b.train(TestNets.convNet(SHAPE, 2, 2, null, null),
          TestNets.random(2, TensorShape.of(5, 5, 1), 2, 1), 0.1), "[4, 4, 1]", "[5, 5, 1]");
    }
  }

  @Test
  void aLabelOutsideTheLogitsIsRefused() {
    try (PyTorchBackend b = backend(1)) {
      Batch.Images bad = new Batch.Images(1, SHAPE, new float[16], new int[] {3});
      assertRefused(() -> b.evaluate(TestNets.convNet(SHAPE, 2, 2, null, null), bad), "label 3", "[0, 2)");
    }
  }

  @Test
  void anInputThatTheBatchDoesNotFeedIsRefused() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "pixels", SHAPE);
    Graph graph = g.output(g.chain("h", x, new Op.GlobalAvgPool(), new Op.Dense(2, false, k("fc")))).build();
    try (PyTorchBackend b = backend(1)) {
      assertRefused(() -> b.evaluate(graph, TestNets.random(1, SHAPE, 2, 1)), "images", "pixels");
    }
  }

  @Test
  void logitsMustBeAVector() {
    GraphBuilder g = new GraphBuilder();
    Graph graph = g.output(g.op("c", Op.Conv2d.of(1, 2, k("w")), g.input("in", "images", SHAPE))).build();
    try (PyTorchBackend b = backend(1)) {
      assertRefused(() -> b.evaluate(graph, TestNets.random(1, SHAPE, 2, 1)), "logits");
    }
  }

  @Test
  void aClosedBackendRefusesWork() {
    PyTorchBackend b = backend(1);
    b.close();
    assertThrows(IllegalStateException.class,
        () -> b.evaluate(TestNets.convNet(SHAPE, 2, 2, null, null), TestNets.random(1, SHAPE, 2, 1)));
  }

  @Test
  void aTokenOutsideTheVocabularyIsRefused() {
    GraphBuilder g = new GraphBuilder();
    String t = g.input("tok", "tokens", TensorShape.of(1));
    String e = g.op("emb", new Op.Embedding(4, 2, k("emb")), t);
    Graph graph = g.output(g.op("out", new Op.Dense(4, true, k("out")), e)).build();
    try (PyTorchBackend b = backend(1)) {
      Batch.Tokens bad = new Batch.Tokens(1, 2, new int[] {1, 4}, new int[] {2, 3});
      assertRefused(() -> b.train(graph, bad, 0.1), "token 4", "[0, 4)");
      assertEquals(2, b.evaluate(graph, new Batch.Tokens(1, 2, new int[] {1, 2}, new int[] {2, 3})).examples() + 1);
    }
  }

  @Test
  void tokenIdsFeedOnlyAnEmbedding() {
    GraphBuilder g = new GraphBuilder();
    String t = g.input("tok", "tokens", TensorShape.of(1));
    Graph graph = g.output(g.op("out", new Op.Dense(4, true, k("out")), t)).build();
    try (PyTorchBackend b = backend(1)) {
      assertRefused(() -> b.evaluate(graph, new Batch.Tokens(1, 1, new int[] {1}, new int[] {2})), "embedding");
    }
  }
}
