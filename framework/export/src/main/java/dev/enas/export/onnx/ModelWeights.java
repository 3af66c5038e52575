package dev.enas.export.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.NamedTensor;
import dev.enas.proto.TensorStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A trained model's tensors by parameter key, in the IR's layouts, as the framework's tensor store
 * ({@code dev.enas.proto.TensorStore}, written by any backend) holds them. Read here rather than through the plugins'
 * support library, which the host does not carry.
 */
public final class ModelWeights {
  /** The tensor-store format version this reads. */
  static final int FORMAT_VERSION = 1;

  /** One tensor: its shape and its values, row-major. */
  public record Tensor(TensorShape shape, float[] values) {
    public Tensor {
      if (values.length != shape.size()) {
        throw new IllegalArgumentException("a tensor of shape " + shape + " needs " + shape.size() + " values, got "
            + values.length);
      }
    }
  }

  private final Map<ParamKey, Tensor> tensors;
  private final String source;

  /** @param source where the tensors came from, for messages */
  public ModelWeights(Map<ParamKey, Tensor> tensors, String source) {
    this.tensors = Map.copyOf(tensors);
    this.source = source;
  }

  /**
   * The tensors of a tensor-store file, checked to be complete and to belong to {@code spaceId}; every problem is an
   * {@link IOException} naming the file.
   */
  public static ModelWeights read(Path file, String spaceId) throws IOException {
    TensorStore store;
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      store = TensorStore.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + " is not a readable tensor store (truncated or corrupt): " + e.getMessage(), e);
    }
    if (store.getFormatVersion() != FORMAT_VERSION) {
      throw new IOException(file + (store.getFormatVersion() == 0 ? " is truncated or not a tensor store"
          : " has tensor-store format version " + store.getFormatVersion() + "; this exporter reads " + FORMAT_VERSION));
    }
    if (!store.getSpace().equals(spaceId)) {
      throw new IOException(file + " holds weights of search space \"" + store.getSpace() + "\", not \"" + spaceId
          + "\"");
    }
    Map<ParamKey, Tensor> tensors = new HashMap<>();
    for (NamedTensor t : store.getTensorsList()) {
      TensorShape shape;
      try {
        shape = TensorShape.of(t.getShapeList().stream().mapToInt(Integer::intValue).toArray());
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": tensor " + t.getKey() + " has an invalid shape " + t.getShapeList(), e);
      }
      if (t.getData().size() != shape.size() * Float.BYTES) {
        throw new IOException(file + ": tensor " + t.getKey() + " of shape " + shape + " needs "
            + shape.size() * Float.BYTES + " bytes, has " + t.getData().size());
      }
      float[] v = new float[(int) shape.size()];
      t.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      if (tensors.put(ParamKey.of(t.getKey()), new Tensor(shape, v)) != null) {
        throw new IOException(file + " holds tensor " + t.getKey() + " twice");
      }
    }
    return new ModelWeights(tensors, file.toString());
  }

  /** The values of the tensor a graph parameter names; refused when missing or of another shape. */
  float[] values(ParamSpec spec) {
    Tensor t = tensors.get(spec.key());
    if (t == null) {
      throw new ExportException(source + " has no tensor " + spec.key() + ", which the graph reads; the weights "
          + "are not this architecture's (export the directory the model was trained in)");
    }
    if (!t.shape().equals(spec.shape())) {
      throw new ExportException(source + " holds tensor " + spec.key() + " with shape " + t.shape() + " but the graph "
          + "reads it as " + spec.shape() + "; the weights are not this architecture's");
    }
    return t.values();
  }
}
