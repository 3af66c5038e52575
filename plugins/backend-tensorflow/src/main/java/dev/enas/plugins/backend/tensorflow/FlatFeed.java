package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * A supernet graph's shared tensors as one native vector that lives from run to run. A child reads a small part of a
 * supernet (a recurrent supernet with per-input weights is ~100 MB, its child ~12 MB), and a step changes only what
 * the child read, so rewriting the whole vector every run was most of the step's time outside TensorFlow. A slice is
 * rewritten when its store array is another one (a new tensor, a load) or when {@link #changed} named its key (the
 * optimiser and the moving averages write the arrays in place).
 */
final class FlatFeed implements AutoCloseable {
  private final List<ParamSpec> fed;
  private final Map<ParamKey, Integer> index = new HashMap<>();
  private final long[] offsets;
  private final float[][] written;
  private final TFloat32 tensor;

  FlatFeed(List<ParamSpec> fed) {
    this.fed = List.copyOf(fed);
    this.offsets = new long[fed.size()];
    this.written = new float[fed.size()][];
    long at = 0;
    for (int i = 0; i < fed.size(); i++) {
      index.put(fed.get(i).key(), i);
      offsets[i] = at;
      at += fed.get(i).shape().size();
    }
    this.tensor = TFloat32.tensorOf(Shape.of(at));
  }

  /** The vector with the current values of the fed tensors, in {@code fed} order. */
  TFloat32 update(List<float[]> values) {
    if (values.size() != written.length) {
      throw new IllegalArgumentException(values.size() + " tensors given where the graph reads " + written.length);
    }
    FloatDataBuffer data = tensor.asRawTensor().data().asFloats();
    for (int i = 0; i < written.length; i++) {
      float[] v = values.get(i);
      if (v != written[i]) {
        if (v.length != fed.get(i).shape().size()) {
          throw new IllegalArgumentException(fed.get(i).key() + " has " + v.length + " values where the graph reads "
              + fed.get(i).shape().size());
        }
        data.offset(offsets[i]).write(v);
        written[i] = v;
      }
    }
    return tensor;
  }

  /** Makes the next {@link #update} rewrite these tensors (keys the graph does not read are ignored). */
  void changed(Collection<ParamKey> keys) {
    for (ParamKey k : keys) {
      Integer i = index.get(k);
      if (i != null) {
        written[i] = null;
      }
    }
  }

  @Override
  public void close() {
    tensor.close();
  }
}
