package dev.enas.support.backendtests;

import static dev.enas.support.backendtests.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad graphs and batches are clear errors that name what is wrong. */
/**
 * The input checks every backend makes, with the same messages (they come from plugin-support's BatchLayout), through
 * the Backend API; a backend's test class extends this with its factory.
 */
public abstract class InputChecks {
  /** A backend with default options and this seed. */
  protected abstract Backend backend(long seed);

  protected static final TensorShape SHAPE = TensorShape.of(4, 4, 1);

  protected static void assertRefused(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message should name " + f + ": " + e.getMessage());
    }
  }

  @Test
  public void anUnresolvedSupernetIsRefused() {
    Graph candidate = TestNets.convNet(SHAPE, 2, 2, null, null);
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", SHAPE);
    GraphBuilder c1 = new GraphBuilder();
    c1.output(c1.op("p", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), c1.input("i", "x", SHAPE)));
    Graph supernet = g.output(g.layerChoice("L", "layer0", List.of(x), List.of("max"), List.of(c1.build()))).build();
    try (Backend b = backend(1)) {
      assertRefused(() -> b.train(supernet, TestNets.random(2, SHAPE, 2, 1), 0.1), "resolve");
      b.evaluate(candidate, TestNets.random(2, SHAPE, 2, 1));
    }
  }

  @Test
  public void aBatchOfAnotherImageShapeIsRefused() {
    try (Backend b = backend(1)) {
      assertRefused(() -> b.train(TestNets.convNet(SHAPE, 2, 2, null, null),
          TestNets.random(2, TensorShape.of(5, 5, 1), 2, 1), 0.1), "[4, 4, 1]", "[5, 5, 1]");
    }
  }

  @Test
  public void aLabelOutsideTheLogitsIsRefused() {
    try (Backend b = backend(1)) {
      Batch.Images bad = new Batch.Images(1, SHAPE, new float[16], new int[] {3});
      assertRefused(() -> b.evaluate(TestNets.convNet(SHAPE, 2, 2, null, null), bad), "label 3", "[0, 2)");
    }
  }

  @Test
  public void anInputThatTheBatchDoesNotFeedIsRefused() {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "pixels", SHAPE);
    Graph graph = g.output(g.chain("h", x, new Op.GlobalAvgPool(), new Op.Dense(2, false, k("fc")))).build();
    try (Backend b = backend(1)) {
      assertRefused(() -> b.evaluate(graph, TestNets.random(1, SHAPE, 2, 1)), "images", "pixels");
    }
  }

  @Test
  public void logitsMustBeAVector() {
    GraphBuilder g = new GraphBuilder();
    Graph graph = g.output(g.op("c", Op.Conv2d.of(1, 2, k("w")), g.input("in", "images", SHAPE))).build();
    try (Backend b = backend(1)) {
      assertRefused(() -> b.evaluate(graph, TestNets.random(1, SHAPE, 2, 1)), "logits");
    }
  }

  @Test
  public void aClosedBackendRefusesWork() {
    Backend b = backend(1);
    b.close();
    assertThrows(IllegalStateException.class,
        () -> b.evaluate(TestNets.convNet(SHAPE, 2, 2, null, null), TestNets.random(1, SHAPE, 2, 1)));
  }


}
