package dev.enas.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEvaluatorTest {
  @TempDir
  Path tmp;

  @Test
  void crossEntropyIsTheMeanNegativeLogSoftmaxOfTheLabelAndHitsCountArgmaxes() {
    float[] logits = {2f, 0f, -1f, 0f, 3f, 1f};
    double[] r = OnnxEvaluator.crossEntropy(logits, new int[] {0, 2});
    double row0 = Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2;
    double row1 = Math.log(1 + Math.exp(3) + Math.exp(1)) - 1;
    assertEquals(row0 + row1, r[0], 1e-9);
    assertEquals(1, r[1], 0, "row 0 predicts 0 (right), row 1 predicts 1 (wrong)");
  }

  @Test
  void aMissingOrForeignFileIsAUsageErrorNamingIt() throws Exception {
    ConfigException missing = assertThrows(ConfigException.class, () -> new OnnxEvaluator(tmp.resolve("no.onnx")));
    assertTrue(missing.getMessage().contains("no.onnx does not exist; export a trained model first"),
        missing.getMessage());
    Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
    ConfigException bad = assertThrows(ConfigException.class, () -> new OnnxEvaluator(junk));
    assertTrue(bad.getMessage().contains("junk.onnx is not a model ONNX Runtime can load"), bad.getMessage());
  }
}
