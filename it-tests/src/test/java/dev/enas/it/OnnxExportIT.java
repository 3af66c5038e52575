package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enas export --format onnx} through {@code bin/enas} for the micro, macro and recurrent spaces: a tiny model
 * trained for one epoch is exported, and {@code enas eval MODEL.onnx} (ONNX Runtime, Java) scores the test batches
 * as {@code enas evaluate} does on the backend it was trained on, within {@link #LOSS_TOLERANCE} relative on the loss
 * and one prediction in a hundred on the accuracy (float32 sums in another order can flip a near tie). Python's
 * {@code onnx.checker} (full check) passes each file and Python's ONNX Runtime agrees with Java's on seeded inputs.
 */
class OnnxExportIT {
  static final double LOSS_TOLERANCE = 1e-4;
  static final double ACCURACY_TOLERANCE = 0.01;
  static final String TRAIN = "train { epochs: 1 batch_size: 16 steps_per_epoch: 3 test_batches: 2 }";

  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path data;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    data = IdxFiles.write(tmp.resolve("data"), 300, 100, 3);
  }

  @Test
  void microCellTrainedOnTensorFlowWithBatchStatisticsExportsAndScoresTheSame() throws Exception {
    Path config = Files.writeString(tmp.resolve("micro.pbtxt"), TinyMicroSearch.config("onnx-micro", 5, 4, data, 100,
        "backend { id: \"tensorflow\" options { [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions]"
            + " { bn_eval: BATCH_STATISTICS } } }",
        "epochs: 1 child_steps_per_epoch: 2 child_batch_size: 16 eval_batch_size: 50", TRAIN));
    Path out = train(config, "0 0 0 0 1 1 1 1 0 0 0 0 1 1 1 1", "micro");
    Path model = exportAndCompare(out, "micro");
    assertTrue(dist.run(tmp, 60, "evaluate", "--help").out().contains("MODEL.onnx"));
    PythonOnnx.checkAndCompare(model, tmp, 3, 17);

    // The same model as a TensorFlow SavedModel: Python TensorFlow gives ONNX Runtime's logits on the same inputs.
    Distribution.Result sm = dist.run(tmp, 300, "export", out.toString(), "--format", "savedmodel");
    assertEquals(0, sm.exitCode(), sm.toString());
    assertTrue(sm.out().contains("TensorFlow SavedModel, tag serve, signature serving_default"), sm.toString());
    Path saved = out.resolve("savedmodel");
    assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")), sm.toString());
    Distribution.Result again = dist.run(tmp, 120, "export", out.toString(), "--format", "savedmodel");
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.err().contains("exists; pass --force"), again.toString());
    assertEquals(0, dist.run(tmp, 300, "export", out.toString(), "--format", "savedmodel", "--force").exitCode());
    PythonTensorFlow.agreesWithOnnx(saved, tmp.resolve(model.getFileName() + "-python"), tmp);
  }

  @Test
  void macroNetworkTrainedOnPyTorchExportsAndScoresTheSame() throws Exception {
    Path config = Files.writeString(tmp.resolve("macro.pbtxt"), """
        name: "onnx-macro"
        seed: 3
        space {
          id: "enas-macro"
          options { [type.googleapis.com/enas.space.macro.MacroSpaceOptions] {
            num_layers: 4 channels: 8 image_height: 28 image_width: 28 image_channels: 1
          } }
        }
        controller { id: "reinforce" }
        reward { id: "accuracy" }
        dataset {
          id: "fashion-mnist"
          options { [type.googleapis.com/enas.dataset.fashionmnist.FashionMnistOptions] { path: "%s" valid_size: 100 } }
        }
        backend { id: "pytorch" }
        schedule { epochs: 1 child_steps_per_epoch: 2 child_batch_size: 16 eval_batch_size: 50 }
        %s
        """.formatted(data, TRAIN));
    // conv 3x3 sep; sep 5x5 with a skip from the stem; avg pool; max pool with skips: every macro op kind but two
    Path out = train(config, "1 3 1 4 0 1 5 1 0 1", "macro");
    Path model = exportAndCompare(out, "macro");
    PythonOnnx.checkAndCompare(model, tmp, 3, 17);
  }

  @Test
  void recurrentLanguageModelExportsUnrolledAndScoresTheSame() throws Exception {
    assumeTrue(Files.isDirectory(LanguageModelSearchIT.PTB), LanguageModelSearchIT.PTB.toAbsolutePath()
        + " (Penn Treebank, kept beside the repository) is not here");
    // vocab_size: the words of the first 20,000 training tokens (train_limit), which the validation requires
    Path config = Files.writeString(tmp.resolve("rnn.pbtxt"), """
        name: "onnx-rnn"
        seed: 2
        space {
          id: "enas-rnn"
          options { [type.googleapis.com/enas.space.rnn.RnnSpaceOptions] { num_nodes: 4 hidden_size: 16 vocab_size: 3318 } }
        }
        controller { id: "reinforce" }
        reward { id: "perplexity" }
        dataset {
          id: "ptb"
          options { [type.googleapis.com/enas.dataset.ptb.PtbOptions] { path: "%s" steps: 12 train_limit: 20000 } }
        }
        backend {
          id: "tensorflow"
          options { [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions] { momentum: 0 clip_bound: 0.25 } }
        }
        schedule { epochs: 1 child_steps_per_epoch: 2 child_batch_size: 16 eval_batch_size: 16 lr_max: 20 lr_min: 5 }
        train { epochs: 1 batch_size: 16 steps_per_epoch: 3 test_batches: 2 lr_max: 20 lr_min: 5 }
        """.formatted(LanguageModelSearchIT.PTB.toAbsolutePath()));
    Path out = train(config, "0 0 1 1 1 2 2 3", "rnn");

    // the dataset's sequences are 12 tokens long: a model unrolled over the default 35 steps is refused with the fix
    Distribution.Result wrong = dist.run(tmp, 300, "export", out.toString(), "--out", tmp.resolve("rnn-35.onnx")
        .toString());
    assertEquals(0, wrong.exitCode(), wrong.toString());
    Distribution.Result refused = dist.run(tmp, 300, "eval", tmp.resolve("rnn-35.onnx").toString(), "--config",
        out.toString());
    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("unrolled over 35 steps") && refused.err().contains("--seq-len 12"),
        refused.toString());

    Path model = exportAndCompare(out, "rnn", "--seq-len", "12");
    PythonOnnx.checkAndCompare(model, tmp, 2, 17);
  }

  @Test
  void badInputIsRefusedWithTheFix() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-trained"));
    Distribution.Result untrained = dist.run(tmp, 120, "export", empty.toString());
    assertEquals(2, untrained.exitCode(), untrained.toString());
    assertTrue(untrained.err().contains("not the output of enas train") && untrained.err().contains("enas train CONFIG"),
        untrained.toString());

    Path search = Files.createDirectories(tmp.resolve("a-search"));
    Files.writeString(search.resolve("config.pbtxt"), "name: \"x\"");
    Distribution.Result run = dist.run(tmp, 120, "export", search.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("is a search's run directory") && run.err().contains("enas derive"),
        run.toString());

    Distribution.Result format = dist.run(tmp, 120, "export", empty.toString(), "--format", "tflite");
    assertEquals(2, format.exitCode(), format.toString());
    assertTrue(format.err().contains("--format must be onnx or savedmodel"), format.toString());

    Distribution.Result noConfig = dist.run(tmp, 120, "eval", tmp.resolve("elsewhere.onnx").toString());
    assertEquals(2, noConfig.exitCode(), noConfig.toString());
    assertTrue(noConfig.err().contains("pass --config"), noConfig.toString());
  }

  /** Trains {@code arch} with the search preset for one short epoch; returns the output directory. */
  private static Path train(Path config, String arch, String name) throws Exception {
    Path out = tmp.resolve("trained-" + name);
    Distribution.Result t = dist.run(tmp, 600, "train", config.toString(), "--search-preset", "--arch", arch,
        "--out", out.toString());
    assertEquals(0, t.exitCode(), t.toString());
    return out;
  }

  /**
   * {@code enas evaluate OUT} on the trained backend, {@code enas export OUT}, and {@code enas eval OUT/model.onnx}:
   * the same examples, the loss and accuracy within the tolerances. Exporting again needs {@code --force}.
   */
  private static Path exportAndCompare(Path out, String name, String... exportArgs) throws Exception {
    Distribution.Result e = dist.run(tmp, 300, "evaluate", out.toString());
    assertEquals(0, e.exitCode(), e.toString());

    List<String> args = new ArrayList<>(List.of("export", out.toString(), "--format", "onnx"));
    args.addAll(List.of(exportArgs));
    Distribution.Result x = dist.run(tmp, 300, args.toArray(new String[0]));
    assertEquals(0, x.exitCode(), x.toString());
    Path model = out.resolve("model.onnx");
    assertTrue(Files.size(model) > 0, x.toString());
    assertTrue(x.out().contains("ONNX opset 17"), x.toString());

    Distribution.Result again = dist.run(tmp, 300, args.toArray(new String[0]));
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.err().contains(model + " exists; pass --force"), again.toString());
    args.add("--force");
    assertEquals(0, dist.run(tmp, 300, args.toArray(new String[0])).exitCode());

    // next to the training it was exported from, the model finds its dataset without --config
    Distribution.Result o = dist.run(tmp, 300, "eval", model.toString());
    assertEquals(0, o.exitCode(), o.toString());
    assertTrue(o.out().contains("backend: ONNX Runtime"), o.toString());
    assertEquals(field(e.out(), "examples"), field(o.out(), "examples"), 0.0, name + ": examples");
    double loss = field(e.out(), "loss");
    assertEquals(loss, field(o.out(), "loss"), LOSS_TOLERANCE * Math.max(1, Math.abs(loss)),
        name + ": ONNX Runtime's test loss against enas evaluate's\n" + e + "\n" + o);
    assertEquals(field(e.out(), "accuracy"), field(o.out(), "accuracy"), ACCURACY_TOLERANCE,
        name + ": ONNX Runtime's test accuracy against enas evaluate's\n" + e + "\n" + o);
    assertFalse(o.err().contains("\tat "), o.toString());
    return model;
  }

  private static double field(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
