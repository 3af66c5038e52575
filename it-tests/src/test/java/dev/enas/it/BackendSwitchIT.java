package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.enas.proto.TrainSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resume --backend} and {@code evaluate} through {@code bin/enas}, on TensorFlow: a swap to the same backend
 * still goes the whole way (options carried over through text, config rewritten, checkpoint loaded), and ends as an
 * uninterrupted search; a finished training evaluates to the numbers it printed.
 */
class BackendSwitchIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = IdxFiles.write(tmp.resolve("data"), 300, 100, 3);
    config = Files.writeString(tmp.resolve("tiny.pbtxt"), TinyMicroSearch.config("switch-it", 5, 4, data, 100, """
        backend { id: "tensorflow" options {
          [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions] { momentum: 0.8 clip_bound: 0.25 } } }""",
        "epochs: 2 child_steps_per_epoch: 4 child_batch_size: 16 controller_updates_per_epoch: 1 "
            + "controller_samples_per_update: 2 eval_batch_size: 50 derive_samples: 2",
        "train { epochs: 1 batch_size: 16 steps_per_epoch: 3 test_batches: 2 }"));
  }

  private static String summaryWithoutTime(Path run) throws Exception {
    return Files.readString(run.resolve("final.pbtxt")).replaceAll("(?m)^elapsed_seconds:.*$", "");
  }

  @Test
  void resumeWithBackendGoesTheWholeWayAndEndsAsAStraightRun() throws Exception {
    Path straight = tmp.resolve("straight");
    Distribution.Result a = dist.run(tmp, 300, "search", config.toString(), "--run-dir", straight.toString());
    assertEquals(0, a.exitCode(), a.toString());

    Path run = tmp.resolve("switched");
    Distribution.Result s = dist.run(tmp, 300, "search", config.toString(), "--run-dir", run.toString(),
        "--stop-after-epochs", "1");
    assertEquals(0, s.exitCode(), s.toString());
    Distribution.Result r = dist.run(tmp, 300, "resume", run.toString(), "--backend", "tensorflow");
    assertEquals(0, r.exitCode(), r.toString());
    String cfg = Files.readString(run.resolve("config.pbtxt"));
    assertTrue(cfg.startsWith("# continued on backend 'tensorflow' from epoch-0001 (before: 'tensorflow')"), cfg);
    assertTrue(cfg.contains("momentum: 0.8") && cfg.contains("clip_bound: 0.25"), "options carried over:\n" + cfg);
    assertEquals(summaryWithoutTime(straight), summaryWithoutTime(run));

    Distribution.Result bad = dist.run(tmp, 120, "resume", run.toString(), "--backend", "tensorflw");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("unknown backend plugin 'tensorflw'; available: ") && bad.err().contains("tensorflow"),
        bad.toString());
    assertTrue(!bad.err().contains("\tat "), bad.toString());
  }

  @Test
  void evaluateGivesTheNumbersTrainPrinted() throws Exception {
    Path out = tmp.resolve("trained");
    Distribution.Result t = dist.run(tmp, 300, "train", config.toString(), "--search-preset", "--arch",
        "0 0 0 0 1 1 1 1 0 0 0 0 1 1 1 1", "--out", out.toString());
    assertEquals(0, t.exitCode(), t.toString());
    TrainSummary.Builder trained = TrainSummary.newBuilder();
    TextFormat.merge(Files.readString(out.resolve("model/metrics.pbtxt")), trained);

    Distribution.Result e = dist.run(tmp, 300, "evaluate", out.toString(), "--backend", "tensorflow");
    assertEquals(0, e.exitCode(), e.toString());
    assertEquals(trained.getTestLoss(), field(e.out(), "loss"), 0.0, e.toString());
    assertEquals(trained.getTestAccuracy(), field(e.out(), "accuracy"), 0.0, e.toString());
    assertEquals(trained.getTestExamples(), (long) field(e.out(), "examples"));
    Matcher line = Pattern.compile("test accuracy (\\S+) on").matcher(t.out());
    assertTrue(line.find(), t.toString());
    assertTrue(e.out().contains("test accuracy " + line.group(1) + " (loss"), e.toString());

    Distribution.Result v = dist.run(tmp, 300, "evaluate", out.toString(), "--split", "valid");
    assertEquals(0, v.exitCode(), v.toString());
    assertEquals(trained.getValidAccuracy(), field(v.out(), "accuracy"), 0.0, v.toString());

    Distribution.Result n = dist.run(tmp, 120, "evaluate", tmp.resolve("data").toString());
    assertEquals(2, n.exitCode(), n.toString());
    assertTrue(n.err().contains("not the output of enas train") && n.err().contains("enas train CONFIG"),
        n.toString());
  }

  private static double field(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
