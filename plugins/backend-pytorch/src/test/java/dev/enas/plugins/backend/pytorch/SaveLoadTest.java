package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.enas.api.backend.Backend;
import dev.enas.support.backendtests.SaveLoadChecks;
import dev.enas.support.weights.SharedWeights;

/** What every backend's save and load must do (SaveLoadChecks), and what is particular to this one. */
class SaveLoadTest extends SaveLoadChecks {
  @Override
  protected Backend backend(long seed) {
    return TestNets.backend(seed);
  }

  @Override
  protected String id() {
    return PyTorchBackendProvider.ID;
  }

  @Override
  protected long step(Backend b) {
    return ((PyTorchBackend) b).step();
  }

  @Override
  protected SharedWeights weights(Backend b) {
    return ((PyTorchBackend) b).weights();
  }

  @Test
  void aStoreWrittenByTheTensorFlowBackendLoads(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tf.pb");
    dev.enas.support.weights.SharedWeights tf = new dev.enas.support.weights.SharedWeights(11);
    for (dev.enas.api.ir.ParamSpec p : NET.params()) {
      tf.entry(p);
    }
    tf.entry(NET.params().get(0)).values[0] = 0.125f;
    dev.enas.support.weights.TensorStoreFile.save(file, "micro", "tensorflow", 42, tf);
    try (PyTorchBackend b = TestNets.backend(1)) {
      b.load(file, "micro");
      assertEquals(42, b.step());
      assertEquals(0.125f, b.weights().copyOf(NET.params().get(0).key())[0]);
      for (ParamKey key : tf.entries().keySet()) {
        assertArrayEquals(tf.copyOf(key), b.weights().copyOf(key), key.value());
      }
      assertTrue(Double.isFinite(b.train(NET, TestNets.random(4, SHAPE, 3, 1), 0.1).loss()));
    }
  }}
