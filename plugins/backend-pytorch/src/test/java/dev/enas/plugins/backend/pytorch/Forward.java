package dev.enas.plugins.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.weights.SharedWeights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the backend's eager lowering of a graph forward, in inference mode, and returns its first output. */
final class Forward {
  private Forward() {}

  /**
   * The first output for NHWC images (or, for a graph with a {@code tokens} input, token ids and an optional zero
   * state), in the IR's layout: NHWC for images, {@code [n, width]} for vectors.
   */
  static float[] run(Graph child, int n, float[] images, Map<ParamKey, float[]> params) {
    return run(child, n, images, null, params);
  }

  static float[] runTokens(Graph child, long[] tokens, Map<ParamKey, float[]> params) {
    return run(child, tokens.length, null, tokens, params);
  }

  private static float[] run(Graph child, int n, float[] images, long[] tokens, Map<ParamKey, float[]> params) {
    SharedWeights weights = new SharedWeights(0);
    for (ParamSpec p : child.params()) {
      float[] v = params.get(p.key());
      if (v == null) {
        throw new IllegalArgumentException("test gives no value for " + p.key());
      }
      System.arraycopy(v, 0, weights.entry(p).values, 0, v.length);
    }
    try (PyTorchBackend b = TestNets.backend(1); NDManager m = base(b)) {
      EagerChild run = new EagerChild(m, weights, child, false, false, 1e-5, 0, 0);
      Map<String, NDArray> in = new HashMap<>();
      for (var node : child.inputNodes()) {
        Op.Input input = (Op.Input) node.op();
        TensorShape s = input.shape();
        if (input.name().equals("images")) {
          in.put("images", m.create(images, new Shape(n, s.height(), s.width(), s.channels())).transpose(0, 3, 1, 2));
        } else if (input.name().equals("tokens")) {
          in.put("tokens", m.create(tokens, new Shape(n, 1)));
        } else {
          in.put(input.name(), m.zeros(new Shape(n, s.dim(0))));
        }
      }
      List<NDArray> out = run.apply(child, in);
      NDArray y = out.get(0);
      if (y.getShape().dimension() == 4) {
        y = y.transpose(0, 2, 3, 1);
      }
      return y.toFloatArray();
    }
  }

  private static NDManager base(PyTorchBackend b) {
    return ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager();
  }
}
