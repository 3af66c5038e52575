package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.support.backendtests.InputChecks;
import org.junit.jupiter.api.Test;

/** The input checks every backend makes (InputChecks), and the compiled-child cache of this one. */
class InputCheckTest extends InputChecks {
  @Override
  protected Backend backend(long seed) {
    return TestNets.backend(seed);
  }

  @Test
  void aRepeatedChildReusesItsCompiledGraphAndTheCacheStaysBounded() {
    TensorFlowBackendOptions two = TensorFlowBackendOptions.newBuilder().setCacheSize(2).build();
    Batch.Images batch = TestNets.random(2, SHAPE, 2, 1);
    try (TensorFlowBackend b = TestNets.backend(two, 1)) {
      Graph net = TestNets.convNet(SHAPE, 2, 2, null, null);
      b.train(net, batch, 0.1);
      b.train(net, batch, 0.1);
      b.train(net, batch, 0.1);
      assertEquals(1, b.cache().misses());
      assertEquals(2, b.cache().hits());
      for (int c = 1; c <= 5; c++) {
        b.train(TestNets.convNet(SHAPE, 2, 2, Op.Conv2d.of(3, 2, k("w" + c)), "x"), batch, 0.1);
        assertTrue(b.cache().size() <= 2, "cache holds " + b.cache().size());
      }
    }
    TensorFlowBackendOptions none = TensorFlowBackendOptions.newBuilder().setCacheSize(0).build();
    try (TensorFlowBackend b = TestNets.backend(none, 1)) {
      Graph net = TestNets.convNet(SHAPE, 2, 2, null, null);
      double first = b.evaluate(net, batch).loss();
      assertEquals(first, b.evaluate(net, batch).loss());
      assertEquals(0, b.cache().size());
    }
  }}
