package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's ONNX tools on an exported model: {@code onnx.checker.check_model(full_check=True)} and Python's ONNX Runtime
 * on seeded inputs, whose outputs Java's ONNX Runtime must reproduce. The tools live in a virtual environment under
 * target/onnx-venv ({@code pip install onnx onnxruntime numpy}); a machine without them skips, saying why.
 */
final class PythonOnnx {
  /** Python's and Java's ONNX Runtime (other versions, maybe other kernels) agree to 1e-4 absolute plus relative. */
  static final double TOLERANCE = 1e-4;

  private PythonOnnx() {}

  /** The venv's python, made on first use; skips the calling test when it cannot be made. */
  static Path python() throws Exception {
    return PythonVenv.python("onnx-venv", List.of("onnx", "onnxruntime", "numpy"));
  }

  /**
   * Runs the checker and Python's ONNX Runtime on {@code model} with a batch of {@code batch}, then the same inputs in
   * Java's ONNX Runtime; asserts that the checker passed, the opset is {@code opset} and every output agrees.
   */
  static void checkAndCompare(Path model, Path work, int batch, int opset) throws Exception {
    Path py = python();
    Path script = work.resolve("onnx_check.py");
    try (InputStream in = PythonOnnx.class.getResourceAsStream("onnx_check.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path out = work.resolve(model.getFileName() + "-python");
    PythonVenv.Result r = PythonVenv.exec(List.of(py.toString(), script.toString(), model.toString(), out.toString(),
        Integer.toString(batch)), 300);
    assertEquals(0, r.code(), "onnx.checker / Python onnxruntime on " + model + ":\n" + r.output());
    assertTrue(r.output().contains("checked "), r.output());

    List<String> lines = Files.readAllLines(out.resolve("manifest.txt"));
    assertEquals("opset " + opset, lines.get(0));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
      Map<String, OnnxTensor> feed = new HashMap<>();
      Map<String, float[]> want = new HashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(" ");
        long[] dims = new long[f.length - 2];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = Long.parseLong(f[i + 2]);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out.resolve(f[0] + ".bin"))).order(ByteOrder.LITTLE_ENDIAN);
        if (s.getInputNames().contains(f[0])) {
          feed.put(f[0], f[1].equals("int64") ? OnnxTensor.createTensor(env, b.asLongBuffer(), dims)
              : OnnxTensor.createTensor(env, b.asFloatBuffer(), dims));
        } else {
          float[] v = new float[b.remaining() / 4];
          b.asFloatBuffer().get(v);
          want.put(f[0], v);
        }
      }
      assertEquals(s.getOutputNames(), want.keySet(), "outputs");
      try (OrtSession.Result res = s.run(feed)) {
        for (Map.Entry<String, float[]> e : want.entrySet()) {
          java.nio.FloatBuffer fb = ((OnnxTensor) res.get(e.getKey()).orElseThrow()).getFloatBuffer();
          float[] got = new float[fb.remaining()];
          fb.get(got);
          assertEquals(e.getValue().length, got.length, e.getKey());
          for (int i = 0; i < got.length; i++) {
            float w = e.getValue()[i];
            assertEquals(w, got[i], TOLERANCE * (1 + Math.abs(w)), e.getKey() + "[" + i + "]: Python's ONNX Runtime "
                + "and Java's differ");
          }
        }
      } finally {
        feed.values().forEach(OnnxTensor::close);
      }
    }
  }
}
