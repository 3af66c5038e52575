package dev.enas.plugins.backend.pytorch;

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
import dev.enas.api.backend.Backend;
import dev.enas.support.backendtests.InputChecks;

/** The input checks every backend makes (InputChecks), and those of token ids on this one. */
class InputCheckTest extends InputChecks {
  @Override
  protected Backend backend(long seed) {
    return TestNets.backend(seed);
  }

  @Test
  void aTokenOutsideTheVocabularyIsRefused() {
    GraphBuilder g = new GraphBuilder();
    String t = g.input("tok", "tokens", TensorShape.of(1));
    String e = g.op("emb", new Op.Embedding(4, 2, k("emb")), t);
    Graph graph = g.output(g.op("out", new Op.Dense(4, true, k("out")), e)).build();
    try (PyTorchBackend b = TestNets.backend(1)) {
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
    try (PyTorchBackend b = TestNets.backend(1)) {
      assertRefused(() -> b.evaluate(graph, new Batch.Tokens(1, 1, new int[] {1}, new int[] {2})), "embedding");
    }
  }}
