package dev.enas.plugins.backend.pytorch;

import static dev.enas.plugins.backend.pytorch.TestNets.backend;
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

class SaveLoadTest {
  private static final TensorShape SHAPE = TensorShape.of(6, 6, 2);
  private static final Graph NET = TestNets.convNet(SHAPE, 4, 3, Op.Conv2d.of(3, 4, k("mid")), "mid");

  @Test
  void resumedTrainingMatchesUninterruptedTraining(@TempDir Path dir) throws IOException {
    Batch.Images batch = TestNets.random(8, SHAPE, 3, 1);
    Path file = dir.resolve("weights.pb");
    try (PyTorchBackend a = backend(7); PyTorchBackend resumed = backend(8)) {
      for (int i = 0; i < 3; i++) {
        a.train(NET, batch, 0.1);
      }
      a.save(file, "micro");
      resumed.load(file, "micro");
      assertEquals(a.step(), resumed.step(), "the step counter is restored");
      double la = a.train(NET, batch, 0.1).loss();
      double lb = resumed.train(NET, batch, 0.1).loss();
      assertEquals(la, lb, "the loss after loading");
      for (ParamKey key : a.weights().entries().keySet()) {
        // Identical after a further step only if the momentum slots were restored too.
        assertArrayEquals(a.weights().copyOf(key), resumed.weights().copyOf(key), key.value());
      }
    }
  }

  @Test
  void savingIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Files.writeString(file, "old contents");
    try (PyTorchBackend b = backend(1)) {
      b.evaluate(NET, TestNets.random(2, SHAPE, 3, 1));
      b.save(file, "micro");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    TensorStore store = TensorStore.parseFrom(Files.readAllBytes(file));
    assertEquals("micro", store.getSpace());
    assertEquals("pytorch", store.getBackend());
    assertEquals(1, store.getFormatVersion());
    assertTrue(store.getTensorsList().stream().anyMatch(t -> t.getKey().equals("mid/momentum")));
  }

  @Test
  void loadingAnotherSpacesWeightsIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    try (PyTorchBackend b = backend(1)) {
      b.evaluate(NET, TestNets.random(2, SHAPE, 3, 1));
      b.save(file, "enas-macro");
      IOException e = assertThrows(IOException.class, () -> b.load(file, "enas-micro"));
      assertTrue(e.getMessage().contains("enas-macro") && e.getMessage().contains("enas-micro"), e.getMessage());
    }
  }

  @Test
  void aFileCutAtAnyByteIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Graph tiny = TestNets.convNet(TensorShape.of(2, 2, 1), 2, 2, null, null);
    try (PyTorchBackend b = backend(1)) {
      b.evaluate(tiny, TestNets.random(1, TensorShape.of(2, 2, 1), 2, 1));
      b.save(file, "s");
      byte[] bytes = Files.readAllBytes(file);
      Path cut = dir.resolve("cut.pb");
      for (int n = 0; n < bytes.length; n++) {
        Files.write(cut, Arrays.copyOf(bytes, n));
        int length = n;
        assertThrows(IOException.class, () -> b.load(cut, "s"), "a file cut to " + length + " of " + bytes.length
            + " bytes");
      }
      b.load(file, "s");
    }
  }

  /** The format is the TensorFlow backend's: a store it wrote (same keys, IR layouts) loads and trains on here. */
  @Test
  void aStoreWrittenByTheTensorFlowBackendLoads(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tf.pb");
    dev.enas.support.weights.SharedWeights tf = new dev.enas.support.weights.SharedWeights(11);
    for (dev.enas.api.ir.ParamSpec p : NET.params()) {
      tf.entry(p);
    }
    tf.entry(NET.params().get(0)).values[0] = 0.125f;
    dev.enas.support.weights.TensorStoreFile.save(file, "micro", "tensorflow", 42, tf);
    try (PyTorchBackend b = backend(1)) {
      b.load(file, "micro");
      assertEquals(42, b.step());
      assertEquals(0.125f, b.weights().copyOf(NET.params().get(0).key())[0]);
      for (ParamKey key : tf.entries().keySet()) {
        assertArrayEquals(tf.copyOf(key), b.weights().copyOf(key), key.value());
      }
      assertTrue(Double.isFinite(b.train(NET, TestNets.random(4, SHAPE, 3, 1), 0.1).loss()));
    }
  }

  @Test
  void aCorruptFileIsAClearError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, 0x12, 0x00, 0x7f});
    try (PyTorchBackend b = backend(1)) {
      IOException e = assertThrows(IOException.class, () -> b.load(file, "s"));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }
}
