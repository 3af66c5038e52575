package dev.enas.export.onnx;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.TensorStoreFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A trained model's tensors by parameter key, in the IR's layouts, as a tensor store holds them. */
public final class ModelWeights {
  private final Map<ParamKey, SharedWeights.Entry> entries;
  private final String source;

  /** @param source where the tensors came from, for messages */
  public ModelWeights(Map<ParamKey, SharedWeights.Entry> entries, String source) {
    this.entries = Map.copyOf(entries);
    this.source = source;
  }

  /** The tensors of a tensor-store file (any backend's), checked to belong to {@code spaceId}. */
  public static ModelWeights read(Path file, String spaceId) throws IOException {
    return new ModelWeights(TensorStoreFile.load(file, spaceId).entries(), file.toString());
  }

  /** The values of the tensor a graph parameter names; refused when missing or of another shape. */
  float[] values(ParamSpec spec) {
    SharedWeights.Entry e = entries.get(spec.key());
    if (e == null) {
      throw new ExportException(source + " has no tensor " + spec.key() + ", which the graph reads; the weights "
          + "are not this architecture's (export the directory the model was trained in)");
    }
    TensorShape want = spec.shape();
    if (!e.shape.equals(want)) {
      throw new ExportException(source + " holds tensor " + spec.key() + " with shape " + e.shape + " but the graph "
          + "reads it as " + want + "; the weights are not this architecture's");
    }
    return e.values;
  }
}
