package dev.enas.export.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.enas.proto.onnx.ModelProto;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs an exported model in ONNX Runtime (one thread, so results repeat) and reads its float outputs. */
final class Ort {
  private Ort() {}

  /** A float input: values row-major with their dims. */
  record Floats(float[] values, long... dims) {}

  /** An int64 input. */
  record Longs(long[] values, long... dims) {}

  /** Every output of the model for these inputs (Floats or Longs by input name), each as a flat float array. */
  static Map<String, float[]> run(ModelProto model, Map<String, Object> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> feed = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toByteArray(), options)) {
        for (Map.Entry<String, Object> e : inputs.entrySet()) {
          if (e.getValue() instanceof Floats f) {
            feed.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(f.values()), f.dims()));
          } else {
            Longs l = (Longs) e.getValue();
            feed.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(l.values()), l.dims()));
          }
        }
        Map<String, float[]> out = new HashMap<>();
        try (OrtSession.Result r = session.run(feed)) {
          for (Map.Entry<String, OnnxValue> e : r) {
            FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            out.put(e.getKey(), v);
          }
        }
        return out;
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }
}
