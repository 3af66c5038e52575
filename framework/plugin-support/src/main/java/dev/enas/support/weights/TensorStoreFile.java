package dev.enas.support.weights;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.NamedTensor;
import dev.enas.proto.TensorStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared weights and momentum slots as a {@code dev.enas.proto.TensorStore} file, written atomically. The header
 * fields are written after the tensors (protobuf accepts fields in any order) and {@code format_version} last, so a
 * file cut anywhere either fails to parse or lacks its version: truncation is always detected.
 *
 * <p>The format does not depend on the backend that wrote it (tensors by parameter key, row-major, in the IR's
 * layouts; momentum slots as {@code <key>/momentum}); the writer's id is recorded so a reader can say where a
 * checkpoint came from.
 */
public final class TensorStoreFile {
  static final int FORMAT_VERSION = 1;
  /** The key under which a tensor's momentum slot is stored: its own key with this suffix. */
  public static final String MOMENTUM_SUFFIX = "/momentum";
  /** The key under which a tensor's running mean (averaged SGD) is stored: its own key with this suffix. */
  public static final String AVERAGE_SUFFIX = "/average";

  private TensorStoreFile() {}

  /** Writes the store to a temporary file in the same directory, forces it to disk, then renames it over {@code file}. */
  public static void save(Path file, String spaceId, String backendId, long step, SharedWeights weights)
      throws IOException {
    save(file, spaceId, backendId, step, weights, null);
  }

  /**
   * As {@link #save(Path, String, String, long, SharedWeights)}, with averaged SGD's running means when
   * {@code averages} is not null (as {@code <key>/average} tensors and the count of steps they are over).
   */
  public static void save(Path file, String spaceId, String backendId, long step, SharedWeights weights,
      WeightAverages averages) throws IOException {
    requireSpace(spaceId);
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(ch)) {
        for (Map.Entry<ParamKey, SharedWeights.Entry> e : weights.entries().entrySet()) {
          String key = e.getKey().value();
          if (isSlotOf(key, MOMENTUM_SUFFIX, weights) || isSlotOf(key, AVERAGE_SUFFIX, weights)) {
            throw new IOException("parameter key " + key + " collides with the momentum or average slot of another key");
          }
          SharedWeights.Entry w = e.getValue();
          write(out, tensor(key, w.shape, w.values));
          if (w.momentum != null) {
            write(out, tensor(key + MOMENTUM_SUFFIX, w.shape, w.momentum));
          }
          float[] mean = averages == null ? null : averages.means().get(e.getKey());
          if (mean != null) {
            write(out, tensor(key + AVERAGE_SUFFIX, w.shape, mean));
          }
        }
        TensorStore.newBuilder().setSpace(spaceId).setBackend(backendId).setStep(step)
            .setAveragedSteps(averages == null ? 0 : averages.count()).build().writeTo(out);
        TensorStore.newBuilder().setFormatVersion(FORMAT_VERSION).build().writeTo(out);
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A blank space id cannot tag or check a file: an {@link IllegalArgumentException}. */
  private static void requireSpace(String spaceId) {
    if (spaceId == null || spaceId.isBlank()) {
      throw new IllegalArgumentException("a space id is needed to tag or check the saved weights");
    }
  }

  private static void write(OutputStream out, NamedTensor t) throws IOException {
    TensorStore.newBuilder().addTensors(t).build().writeTo(out);
  }

  private static NamedTensor tensor(String key, TensorShape shape, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    NamedTensor.Builder b = NamedTensor.newBuilder().setKey(key).setData(ByteString.copyFrom(buf.array()));
    for (int d : shape.dims()) {
      b.addShape(d);
    }
    return b.build();
  }

  /**
   * What {@link #load} read: the step counter, the id of the backend that wrote it, and the tensors, ready to replace
   * the store's contents.
   */
  public record Loaded(long step, String backend, Map<ParamKey, SharedWeights.Entry> entries,
      WeightAverages averages) {
    public Loaded(long step, String backend, Map<ParamKey, SharedWeights.Entry> entries) {
      this(step, backend, entries, null);
    }
  }

  private static boolean isSlotOf(String key, String suffix, SharedWeights weights) {
    return key.endsWith(suffix) && weights.get(ParamKey.of(key.substring(0, key.length() - suffix.length()))) != null;
  }

  private static boolean isSlot(String key, String suffix, Map<String, NamedTensor> byKey) {
    return key.endsWith(suffix) && byKey.containsKey(key.substring(0, key.length() - suffix.length()));
  }

  /** Reads and checks a store; every problem is an {@link IOException} that names the file and what is wrong. */
  public static Loaded load(Path file, String spaceId) throws IOException {
    requireSpace(spaceId);
    TensorStore store;
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      store = TensorStore.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + " is not a readable tensor store (truncated or corrupt): " + e.getMessage(), e);
    }
    if (store.getFormatVersion() == 0) {
      throw new IOException(file + " is truncated or not a tensor store: its format version is missing");
    }
    if (store.getFormatVersion() != FORMAT_VERSION) {
      throw new IOException(file + " has tensor-store format version " + store.getFormatVersion() + "; this backend reads "
          + FORMAT_VERSION);
    }
    if (!store.getSpace().equals(spaceId)) {
      throw new IOException(file + " holds weights of search space \"" + store.getSpace() + "\", not \"" + spaceId
          + "\"");
    }
    Map<String, NamedTensor> byKey = new TreeMap<>();
    for (NamedTensor t : store.getTensorsList()) {
      if (byKey.put(t.getKey(), t) != null) {
        throw new IOException(file + " holds tensor " + t.getKey() + " twice");
      }
    }
    Map<ParamKey, SharedWeights.Entry> entries = new TreeMap<>();
    Map<ParamKey, float[]> means = new TreeMap<>();
    for (NamedTensor t : byKey.values()) {
      if (isSlot(t.getKey(), MOMENTUM_SUFFIX, byKey) || isSlot(t.getKey(), AVERAGE_SUFFIX, byKey)) {
        continue;
      }
      TensorShape shape = shape(file, t);
      NamedTensor m = byKey.get(t.getKey() + MOMENTUM_SUFFIX);
      float[] momentum = null;
      if (m != null) {
        if (!shape.equals(shape(file, m))) {
          throw new IOException(file + ": momentum of " + t.getKey() + " has shape " + m.getShapeList()
              + ", its tensor " + shape);
        }
        momentum = values(file, m, shape);
      }
      entries.put(ParamKey.of(t.getKey()), new SharedWeights.Entry(shape, momentum != null, values(file, t, shape),
          momentum));
      NamedTensor a = byKey.get(t.getKey() + AVERAGE_SUFFIX);
      if (a != null) {
        if (!shape.equals(shape(file, a))) {
          throw new IOException(file + ": running mean of " + t.getKey() + " has shape " + a.getShapeList()
              + ", its tensor " + shape);
        }
        means.put(ParamKey.of(t.getKey()), values(file, a, shape));
      }
    }
    if (store.getAveragedSteps() < 0 || (store.getAveragedSteps() == 0) != means.isEmpty()) {
      throw new IOException(file + " is inconsistent: " + means.size() + " running means (averaged SGD) over "
          + store.getAveragedSteps() + " steps");
    }
    return new Loaded(store.getStep(), store.getBackend(), entries,
        means.isEmpty() ? null : WeightAverages.restored(store.getAveragedSteps(), means));
  }

  private static TensorShape shape(Path file, NamedTensor t) throws IOException {
    try {
      return TensorShape.of(t.getShapeList().stream().mapToInt(Integer::intValue).toArray());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": tensor " + t.getKey() + " has an invalid shape " + t.getShapeList(), e);
    }
  }

  private static float[] values(Path file, NamedTensor t, TensorShape shape) throws IOException {
    long n = shape.size();
    if (t.getData().size() != n * Float.BYTES) {
      throw new IOException(file + ": tensor " + t.getKey() + " of shape " + shape + " needs " + n * Float.BYTES
          + " bytes, has " + t.getData().size());
    }
    float[] v = new float[(int) n];
    t.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
