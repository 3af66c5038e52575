package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python TensorFlow, the reference reader of SavedModels, in a virtualenv under target/tf-venv ({@code pip install
 * tensorflow_cpu numpy}, from the machine's local wheels); a machine without them skips, saying why.
 */
final class PythonTensorFlow {
  private static final Path VENV = Path.of("target/tf-venv").toAbsolutePath();
  private static String unavailable;

  private PythonTensorFlow() {}

  static synchronized Path python() throws Exception {
    Path py = VENV.resolve("bin/python");
    if (unavailable == null && !Files.exists(VENV.resolve(".tf-ready"))) {
      Result venv = exec(List.of("python3", "-m", "venv", VENV.toString()), 120);
      Result pip = venv.code == 0 ? exec(List.of(VENV.resolve("bin/pip").toString(), "install", "--retries", "1",
          "tensorflow_cpu", "numpy"), 900) : venv;
      if (pip.code != 0) {
        unavailable = "Python TensorFlow cannot be installed here (python3 -m venv and pip install tensorflow_cpu "
            + "numpy failed): " + pip.output.substring(Math.max(0, pip.output.length() - 500));
      } else {
        Files.writeString(VENV.resolve(".tf-ready"), "");
      }
    }
    assumeTrue(unavailable == null, unavailable);
    return py;
  }

  /**
   * Loads {@code savedModel} in Python TensorFlow and runs it on the inputs {@link PythonOnnx#checkAndCompare} fed the
   * ONNX export of the same model (its output directory {@code onnxCheck}); asserts the logits agree.
   */
  static void agreesWithOnnx(Path savedModel, Path onnxCheck, Path work) throws Exception {
    Path py = python();
    Path script = work.resolve("savedmodel_check.py");
    try (InputStream in = PythonTensorFlow.class.getResourceAsStream("savedmodel_check.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Result r = exec(List.of(py.toString(), script.toString(), savedModel.toString(), onnxCheck.toString()), 300);
    assertEquals(0, r.code, "Python TensorFlow on " + savedModel + ":\n" + r.output);
    assertTrue(r.output.contains("largest difference"), r.output);
  }

  private record Result(int code, String output) {}

  private static Result exec(List<String> cmd, long seconds) throws Exception {
    Path log = Files.createTempFile("tf-py", ".txt");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", cmd) + " did not finish in " + seconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(log));
    } catch (java.io.IOException e) {
      return new Result(-1, String.join(" ", cmd) + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
