package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Runs the backend's lowering of a graph forward and returns its first output, for op tests. */
final class Forward {
  private Forward() {}

  /** Inference mode: dropout and drop-path are off, batch norm uses the moving statistics. */
  static float[] run(Graph child, int n, float[] images, Map<ParamKey, float[]> params) {
    return run(child, n, images, params, false, null, 0);
  }

  /**
   * Training mode for the random ops only (dropout and drop-path active, batch norm still on moving statistics),
   * with the given noise seed and progress.
   */
  static float[] runTraining(Graph child, int n, float[] images, Map<ParamKey, float[]> params, long[] seed,
      double progress) {
    return run(child, n, images, params, true, seed, progress);
  }

  private static float[] run(Graph child, int n, float[] images, Map<ParamKey, float[]> params, boolean training,
      long[] seed, double progress) {
    TensorShape in = ((Op.Input) child.inputNodes().get(0).op()).shape();
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      ChildLowering lowering = new ChildLowering(tf, child, training, false, false, 1e-5);
      Operand<?> y = lowering.apply(child, Map.of("images", x)).get(0);
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner();
        List<Tensor> feeds = new java.util.ArrayList<>();
        feeds.add(TFloat32.tensorOf(Shape.of(n, in.height(), in.width(), in.channels()),
            DataBuffers.of(images, true, false)));
        r.feed(x, feeds.get(0));
        if (lowering.noiseSeed() != null) {
          feeds.add(TInt64.vectorOf(seed));
          r.feed(lowering.noiseSeed(), feeds.get(feeds.size() - 1));
        }
        if (lowering.progress() != null) {
          feeds.add(TFloat32.scalarOf((float) progress));
          r.feed(lowering.progress(), feeds.get(feeds.size() - 1));
        }
        for (Map.Entry<ParamKey, org.tensorflow.Operand<TFloat32>> e : lowering.params().entrySet()) {
          float[] v = params.get(e.getKey());
          if (v == null) {
            throw new IllegalArgumentException("test gives no value for " + e.getKey());
          }
          long[] dims = java.util.Arrays.stream(lowering.spec(e.getKey()).shape().dims()).asLongStream().toArray();
          Tensor t = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(v, true, false));
          feeds.add(t);
          r.feed(e.getValue(), t);
        }
        try (Result res = r.fetch(y).run()) {
          TFloat32 out = (TFloat32) res.get(0);
          float[] v = new float[(int) out.shape().size()];
          out.asRawTensor().data().asFloats().read(v);
          return v;
        } finally {
          feeds.forEach(Tensor::close);
        }
      }
    }
  }
}
