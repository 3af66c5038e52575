package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Python TensorFlow, the reference reader of SavedModels, in a virtualenv under target/tf-venv ({@code pip install
 * tensorflow_cpu numpy}, from the machine's local wheels); a machine without them skips, saying why.
 */
final class PythonTensorFlow {

  private PythonTensorFlow() {}

  static Path python() throws Exception {
    return PythonVenv.python("tf-venv", List.of("tensorflow_cpu", "numpy"));
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
    PythonVenv.Result r = PythonVenv.exec(List.of(py.toString(), script.toString(), savedModel.toString(),
        onnxCheck.toString()), 300);
    assertEquals(0, r.code(), "Python TensorFlow on " + savedModel + ":\n" + r.output());
    assertTrue(r.output().contains("largest difference"), r.output());
  }
}
