package dev.enas.support.backendtests;

import static dev.enas.support.backendtests.TestNets.k;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.TensorStore;
import dev.enas.support.weights.SharedWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend's save and load must do, through the Backend API (a backend's test class extends this with its
 * factory and two accessors); the it-tests' BackendContractIT checks the same through the distribution's plugins.
 */
public abstract class SaveLoadChecks {
  /** A backend with default options and this seed. */
  protected abstract Backend backend(long seed);

  /** The backend's plugin id, which its checkpoints record. */
  protected abstract String id();

  /** The backend's step counter. */
  protected abstract long step(Backend b);

  /** The backend's shared store. */
  protected abstract SharedWeights weights(Backend b);

  protected static final TensorShape SHAPE = TensorShape.of(6, 6, 2);
  protected static final Graph NET = TestNets.convNet(SHAPE, 4, 3, Op.Conv2d.of(3, 4, k("mid")), "mid");

  @Test
  public void resumedTrainingMatchesUninterruptedTraining(@TempDir Path dir) throws IOException {
    Batch.Images batch = TestNets.random(8, SHAPE, 3, 1);
    Path file = dir.resolve("weights.pb");
    try (Backend a = backend(7); Backend resumed = backend(8)) {
      for (int i = 0; i < 3; i++) {
        a.train(NET, batch, 0.1);
      }
      a.save(file, "micro");
      resumed.load(file, "micro");
      assertEquals(step(a), step(resumed), "the step counter is restored");
      double la = a.train(NET, batch, 0.1).loss();
      double lb = resumed.train(NET, batch, 0.1).loss();
      assertEquals(la, lb, "the loss after loading");
      for (ParamKey key : weights(a).entries().keySet()) {
        // Identical after a further step only if the momentum slots were restored too.
        assertArrayEquals(weights(a).copyOf(key), weights(resumed).copyOf(key), key.value());
      }
    }
  }

  @Test
  public void savingIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Files.writeString(file, "old contents");
    try (Backend b = backend(1)) {
      b.evaluate(NET, TestNets.random(2, SHAPE, 3, 1));
      b.save(file, "micro");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    TensorStore store = TensorStore.parseFrom(Files.readAllBytes(file));
    assertEquals("micro", store.getSpace());
    assertEquals(id(), store.getBackend());
    assertEquals(1, store.getFormatVersion());
    assertTrue(store.getTensorsList().stream().anyMatch(t -> t.getKey().equals("mid/momentum")));
  }

  @Test
  public void loadingAnotherSpacesWeightsIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    try (Backend b = backend(1)) {
      b.evaluate(NET, TestNets.random(2, SHAPE, 3, 1));
      b.save(file, "enas-macro");
      IOException e = assertThrows(IOException.class, () -> b.load(file, "enas-micro"));
      assertTrue(e.getMessage().contains("enas-macro") && e.getMessage().contains("enas-micro"), e.getMessage());
    }
  }

  @Test
  public void aFileCutAtAnyByteIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Graph tiny = TestNets.convNet(TensorShape.of(2, 2, 1), 2, 2, null, null);
    try (Backend b = backend(1)) {
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

  @Test
  public void aCorruptFileIsAClearError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("weights.pb");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, 0x12, 0x00, 0x7f});
    try (Backend b = backend(1)) {
      IOException e = assertThrows(IOException.class, () -> b.load(file, "s"));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }
}
