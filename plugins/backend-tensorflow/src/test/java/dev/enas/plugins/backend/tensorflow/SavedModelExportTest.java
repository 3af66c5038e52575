package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.space.micro.MicroSpaceOptions;
import dev.enas.plugins.space.micro.MicroSpaceProvider;
import dev.enas.plugins.space.rnn.RnnSpaceOptions;
import dev.enas.plugins.space.rnn.RnnSpaceProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A trained child as a SavedModel: TF Java loads it back and its logits give the loss the backend evaluates. */
class SavedModelExportTest {
  @TempDir
  Path tmp;

  /** Mean cross-entropy of row-major logits {@code [n, classes]} against labels. */
  private static double crossEntropy(float[] logits, int[] labels, int classes) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[i * classes + c]);
      }
      double z = 0;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(logits[i * classes + c] - max);
      }
      sum += max + Math.log(z) - logits[i * classes + labels[i]];
    }
    return sum / labels.length;
  }

  private static float[] read(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[Math.toIntExact(f.shape().size())];
    f.asRawTensor().data().asFloats().read(out);
    return out;
  }

  @Test
  void aMicroChildServesTheLogitsTheBackendEvaluates() throws Exception {
    SearchSpace micro = new MicroSpaceProvider().create(MicroSpaceOptions.newBuilder().setNumBlocks(2).setNumCells(1)
        .setChannels(4).setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(4).build());
    Graph child = micro.child(micro.schema().uniform(new SplittableRandom(2)));
    Batch.Images batch = TestNets.random(6, ((Op.Input) child.inputNodes().get(0).op()).shape(), 4, 9);
    try (TensorFlowBackend b = TestNets.backend(3)) {
      for (int i = 0; i < 3; i++) {
        b.train(child, batch, 0.05);
      }
      double evaluated = b.evaluate(child, batch).loss();
      Path dir = tmp.resolve("micro");
      b.exportModel(child, batch, dir);
      try (SavedModelBundle m = SavedModelBundle.load(dir.toString(), "serve");
          TFloat32 images = TFloat32.tensorOf(Shape.of(6, 8, 8, 1), DataBuffers.of(batch.pixels(), true, false));
          Result r = m.function("serving_default").call(Map.of("images", images))) {
        float[] logits = read(r.get("logits").orElseThrow());
        assertEquals(6 * 4, logits.length);
        assertEquals(evaluated, crossEntropy(logits, batch.labels(), 4), 1e-5 * Math.max(1, evaluated));
      }
      assertThrows(IllegalArgumentException.class, () -> b.exportModel(child, batch, dir), "an existing directory");
    }
  }

  @Test
  void aLanguageModelServesLogitsOverTheStepsAndItsFinalState() throws Exception {
    SearchSpace rnn = new RnnSpaceProvider().create(RnnSpaceOptions.newBuilder().setNumNodes(3).setHiddenSize(8)
        .setVocabSize(11).build());
    Graph child = rnn.child(rnn.schema().uniform(new SplittableRandom(4)));
    Batch.Tokens batch = OpCoverageTest.counting(4, 5, 11);
    try (TensorFlowBackend b = TestNets.backend(3)) {
      b.train(child, batch, 1.0);
      var e = b.evaluate(child, batch);
      Path dir = tmp.resolve("lm");
      b.exportModel(child, batch, dir);
      Map<String, Tensor> in = new HashMap<>();
      try (SavedModelBundle m = SavedModelBundle.load(dir.toString(), "serve");
          TInt32 tokens = TInt32.tensorOf(Shape.of(4, 5), DataBuffers.of(batch.inputs(), true, false));
          TFloat32 state = TFloat32.tensorOf(Shape.of(4, 8), DataBuffers.of(new float[32], true, false))) {
        in.put("tokens", tokens);
        in.put("state", state);
        try (Result r = m.function("serving_default").call(in)) {
          float[] logits = read(r.get("logits").orElseThrow());
          float[] last = read(r.get("state_out").orElseThrow());
          assertEquals(4 * 5 * 11, logits.length, "[batch, steps, vocabulary]");
          assertEquals(e.loss(), crossEntropy(logits, batch.targets(), 11), 1e-5 * Math.max(1, e.loss()));
          for (int i = 0; i < last.length; i++) {
            assertEquals(e.state()[i], last[i], 1e-5, "final state element " + i);
          }
        }
      }
      assertTrue(dir.resolve("saved_model.pb").toFile().isFile());
    }
  }
}
