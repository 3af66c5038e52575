package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny real search through the distribution — micro space, REINFORCE controller, TensorFlow backend,
 * Fashion-MNIST-format data — killed with SIGKILL in the middle of an epoch and resumed; it must end with
 * the same decisions and metrics as an uninterrupted run. Then derive and retrain.
 */
class SearchResumeIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = IdxFiles.write(tmp.resolve("data"), 700, 200, 3);
    config = Files.writeString(tmp.resolve("tiny.pbtxt"), TinyMicroSearch.config("tiny-it", 77, 8, data, 200,
        "backend { id: \"tensorflow\" }",
        "epochs: 3 child_steps_per_epoch: 8 child_batch_size: 32 controller_updates_per_epoch: 2 "
            + "controller_samples_per_update: 3 eval_batch_size: 50 lr_max: 0.05 lr_min: 0.001 derive_samples: 4",
        "train { epochs: 1 batch_size: 32 steps_per_epoch: 5 test_batches: 2 }"));
  }

  private static String summaryWithoutTime(Path run) throws IOException {
    return Files.readString(run.resolve("final.pbtxt")).replaceAll("(?m)^elapsed_seconds:.*$", "");
  }

  @Test
  void killedSearchResumesToTheSameResultThenDerivesAndRetrains() throws Exception {
    Path straight = tmp.resolve("straight");
    Distribution.Result a = dist.run(tmp, 300, "search", config.toString(), "--run-dir", straight.toString());
    assertEquals(0, a.exitCode(), a.toString());
    String expected = summaryWithoutTime(straight);
    assertTrue(expected.contains("epochs: 3"), expected);

    Path killed = tmp.resolve("killed");
    killInTheSecondEpoch(dist, config, tmp, killed);
    Distribution.Result resumed = dist.run(tmp, 300, "resume", killed.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.err().contains("resuming"), resumed.toString());
    assertEquals(expected, summaryWithoutTime(killed), "the resumed run must end like the uninterrupted one");

    Distribution.Result d1 = dist.run(tmp, 300, "derive", straight.toString());
    assertEquals(0, d1.exitCode(), d1.toString());
    Distribution.Result d2 = dist.run(tmp, 300, "derive", killed.toString());
    assertEquals(0, d2.exitCode(), d2.toString());
    String arch = Files.readString(straight.resolve("derived/arch.txt")).trim();
    assertEquals(arch, Files.readString(killed.resolve("derived/arch.txt")).trim());
    assertEquals(16, arch.split(" ").length, "2 blocks x 4 tokens x 2 cells: " + arch);

    String[] train = {"train", config.toString(), "--search-preset", "--epochs", "2", "--arch",
        "@" + killed.resolve("derived/arch.txt"), "--out"};
    Distribution.Result t = dist.run(tmp, 300, with(train, tmp.resolve("trained").toString()));
    assertEquals(0, t.exitCode(), t.toString());
    assertTrue(t.out().contains("test accuracy"), t.toString());
    assertTrue(Files.exists(tmp.resolve("trained/model/weights.pb")));
    // A training stopped after its first epoch continues, in a new process, to the same model and metrics.
    Path stopped = tmp.resolve("trained-stopped");
    Distribution.Result t1 = dist.run(tmp, 300, with(train, stopped.toString(), "--stop-after-epochs", "1"));
    assertEquals(0, t1.exitCode(), t1.toString());
    Distribution.Result t2 = dist.run(tmp, 300, with(train, stopped.toString()));
    assertEquals(0, t2.exitCode(), t2.toString());
    assertTrue(t2.err().contains("resuming the training"), t2.toString());
    assertEquals(metricsWithoutTime(tmp.resolve("trained")), metricsWithoutTime(stopped));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("trained/model/weights.pb")),
        Files.readAllBytes(stopped.resolve("model/weights.pb")));
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  private static String metricsWithoutTime(Path out) throws Exception {
    return Files.readString(out.resolve("model/metrics.pbtxt")).replaceAll("(?m)^seconds:.*$", "");
  }

  @Test
  void aSearchWithPerChildGraphsRunsAndDerives() throws Exception {
    // The default runs search children on one supernet graph; the other strategy must work end to end too.
    Path sn = Files.writeString(tmp.resolve("tiny-per-child.pbtxt"), Files.readString(config).replace(
        "backend { id: \"tensorflow\" }", """
        backend { id: "tensorflow" options {
          [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions] { execution: PER_CHILD } } }"""));
    Path run = tmp.resolve("per-child");
    Distribution.Result s = dist.run(tmp, 300, "search", sn.toString(), "--run-dir", run.toString());
    assertEquals(0, s.exitCode(), s.toString());
    assertTrue(summaryWithoutTime(run).contains("epochs: 3"), summaryWithoutTime(run));
    Distribution.Result d = dist.run(tmp, 300, "derive", run.toString());
    assertEquals(0, d.exitCode(), d.toString());
    assertEquals(16, Files.readString(run.resolve("derived/arch.txt")).trim().split(" ").length);
  }

  /**
   * Starts a search of {@code config} in {@code run} and sends SIGKILL once the first checkpoint exists and the
   * second epoch has taken steps.
   */
  static void killInTheSecondEpoch(Distribution dist, Path config, Path tmp, Path run) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(dist.home.resolve("bin/enas").toString(), "search", config.toString(),
        "--run-dir", run.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(run.getFileName() + "-killed.log").toFile());
    pb.environment().put("ENAS_JAVA_OPTS", "-Xmx2g");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    Path checkpoint = run.resolve("checkpoints/epoch-0001/manifest.pb");
    long eventsAtCheckpoint = -1;
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (eventsAtCheckpoint < 0 && Files.exists(checkpoint)) {
        eventsAtCheckpoint = Files.size(run.resolve("events.pb"));
      }
      if (eventsAtCheckpoint >= 0 && Files.size(run.resolve("events.pb")) > eventsAtCheckpoint + 200) {
        break;
      }
      Thread.sleep(20);
    }
    assertTrue(p.isAlive(), "the search ended before it could be killed:\n"
        + Files.readString(tmp.resolve(run.getFileName() + "-killed.log")));
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
    p.waitFor(30, TimeUnit.SECONDS);
    assertTrue(!Files.exists(run.resolve("final.pbtxt")), "the killed run must not have finished");
  }
}
