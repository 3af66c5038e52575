package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.derive.Deriver;
import dev.enas.tensorboard.EventFiles;
import dev.enas.tensorboard.TensorBoardLog;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** search, resume, derive, train and report through the CLI, on the host's toy test plugins. */
class RunCommandsTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private Path config() throws Exception {
    return Files.writeString(tmp.resolve("toy.pbtxt"), """
        seed: 9
        run_dir: "%s"
        space { id: "tiny" }
        controller { id: "seeded" }
        reward { id: "toy-reward" }
        dataset { id: "toy-data" }
        backend { id: "toy-backend" }
        schedule { epochs: 2 child_steps_per_epoch: 5 child_batch_size: 8 controller_updates_per_epoch: 2
                   controller_samples_per_update: 3 eval_batch_size: 8 derive_samples: 4 }
        train { epochs: 2 batch_size: 16 steps_per_epoch: 4 }
        """.formatted(tmp.resolve("run")));
  }

  @Test
  void searchDeriveTrainAndReport() throws Exception {
    Path cfg = config();
    assertEquals(0, run("search", cfg.toString(), "--stop-after-epochs", "1"), err.toString());
    assertEquals(0, run("resume", tmp.resolve("run").toString()), err.toString());
    assertTrue(out.toString().contains("epochs: 2"), out.toString());

    assertEquals(2, run("search", cfg.toString()), "a second search into the same directory is refused");
    assertTrue(err.toString().contains("enas resume"), err.toString());

    assertEquals(0, run("derive", tmp.resolve("run").toString()), err.toString());
    assertTrue(out.toString().contains("best of 4 sampled architectures"), out.toString());
    String arch = Files.readString(tmp.resolve("run/derived/arch.txt")).trim();

    assertEquals(0, run("train", cfg.toString(), "--arch", "@" + tmp.resolve("run/derived/arch.txt")), err.toString());
    assertTrue(out.toString().contains("test accuracy"), out.toString());
    assertTrue(Files.readString(tmp.resolve("run-train/model/arch.txt")).contains(arch));
    assertTrue(Files.exists(tmp.resolve("run-train/model/weights.pb")));
    assertTrue(Files.readString(tmp.resolve("run-train/model/metrics.pbtxt")).contains("test_examples: 160"));
    assertTrue(out.toString().contains("TensorBoard: tensorboard --logdir "
        + tmp.resolve("run-train/tb").toAbsolutePath()), out.toString());

    assertEquals(0, run("report", tmp.resolve("run").toString()), err.toString());
    for (String png : new String[] {"loss.png", "reward.png", "entropy.png"}) {
      BufferedImage img = ImageIO.read(tmp.resolve("run/report/" + png).toFile());
      assertNotNull(img, png + " is not a readable PNG");
      assertEquals(900, img.getWidth());
    }
    assertTrue(Files.readString(tmp.resolve("run/report/events.csv")).startsWith("unix_millis,epoch,step,kind"));

    assertEquals(0, run("report", tmp.resolve("run").toString(), "--tensorboard"), err.toString());
    Path tb = tmp.resolve("run/tb").toAbsolutePath();
    assertTrue(out.toString().contains("tensorboard --logdir " + tb + "\n"), out.toString());
    assertTrue(Files.exists(tmp.resolve("run/report/events.csv")), "the report is still written");
    // the search's, and the derive's beside it
    assertEquals(1, EventFiles.list(tb, TensorBoardLog.SEARCH).size());
    List<Path> derived = EventFiles.list(tb, TensorBoardLog.DERIVE);
    assertEquals(1, derived.size());
    String text = EventFiles.read(derived.get(0)).stream().flatMap(e -> e.getSummary().getValueList().stream())
        .filter(v -> v.getTag().equals(Deriver.TB_ARCH)).map(v -> v.getTensor().getStringVal(0).toStringUtf8())
        .findFirst().orElseThrow();
    assertEquals(arch, text);
    // a training writes its own
    assertEquals(1, EventFiles.list(tmp.resolve("run-train/tb"), TensorBoardLog.TRAIN).size());

    // a run written before TensorBoard logs gets them from its events.pb
    for (Path f : EventFiles.list(tb, TensorBoardLog.SEARCH)) {
      Files.delete(f);
    }
    assertEquals(0, run("report", tmp.resolve("run").toString(), "--tensorboard"), err.toString());
    assertTrue(out.toString().contains("the run predates TensorBoard logs"), out.toString());
    assertEquals(1, EventFiles.list(tb, TensorBoardLog.SEARCH).size());
  }

  @Test
  void badArchitectureForTrainIsAUsageError() throws Exception {
    assertEquals(2, run("train", config().toString(), "--arch", "7 0 0"));
    assertTrue(err.toString().contains("allowed 0..1"), err.toString());
  }

  @Test
  void aFailureAtRunTimeExitsWith1AndVerboseShowsWhere() throws Exception {
    dev.enas.runtime.testplugins.ToyBackendProvider.crashAfterSteps = 0;
    try {
      assertEquals(1, run("search", config().toString(), "--run-dir", tmp.resolve("a").toString()));
      assertTrue(err.toString().contains("simulated crash") && !err.toString().contains("\tat "), err.toString());
      assertEquals(1, run("search", config().toString(), "--run-dir", tmp.resolve("b").toString(), "--verbose"));
      assertTrue(err.toString().contains("\tat dev.enas."), err.toString());
    } finally {
      dev.enas.runtime.testplugins.ToyBackendProvider.crashAfterSteps = -1;
    }
  }

  @Test
  void resumeOfANonRunIsAUsageError() {
    assertEquals(2, run("resume", tmp.toString()));
    assertTrue(err.toString().contains("not a run directory"), err.toString());
  }

  @Test
  void aStoppedTrainContinuesWhereItStoppedAndRestartDiscardsIt() throws Exception {
    String cfg = config().toString();
    String dir = tmp.resolve("t").toString();
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", dir, "--stop-after-epochs", "1"), err.toString());
    assertTrue(out.toString().contains("stopped after epoch 1"), out.toString());
    assertFalse(Files.exists(tmp.resolve("t/model")));
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", dir), err.toString());
    assertTrue(out.toString().contains("epochs: 2") && out.toString().contains("test accuracy"), out.toString());

    assertEquals(2, run("train", cfg, "--arch", "1 1 0", "--out", dir));
    assertTrue(err.toString().contains("another architecture (0 1 0)") && err.toString().contains("--restart"),
        err.toString());
    assertEquals(0, run("train", cfg, "--arch", "1 1 0", "--out", dir, "--restart"), err.toString());
    assertTrue(Files.readString(tmp.resolve("t/model/arch.txt")).startsWith("1 1 0"));
    assertEquals(2, run("train", cfg, "--arch", "1 1 0", "--out", dir, "--stop-after-epochs", "-1"));
    assertTrue(err.toString().contains("--stop-after-epochs"), err.toString());
  }

  private static String summaryWithoutTime(Path run) throws Exception {
    return Files.readString(run.resolve("final.pbtxt")).replaceAll("(?m)^elapsed_seconds:.*$", "");
  }

  @Test
  void resumeScansForACheckpointWhenLatestIsLostOrGarbage() throws Exception {
    Path cfg = Files.writeString(tmp.resolve("three.pbtxt"), Files.readString(config())
        .replace("schedule { epochs: 2 ", "schedule { epochs: 3 "));
    assertEquals(0, run("search", cfg.toString(), "--run-dir", tmp.resolve("straight").toString()), err.toString());
    String expected = summaryWithoutTime(tmp.resolve("straight"));
    for (String damage : new String[] {"deleted", "garbage", "corrupt-newest"}) {
      Path dir = tmp.resolve(damage);
      assertEquals(0, run("search", cfg.toString(), "--run-dir", dir.toString(), "--stop-after-epochs", "1"),
          err.toString());
      assertEquals(0, run("resume", dir.toString(), "--stop-after-epochs", "2"), err.toString());
      assertTrue(out.toString().contains("epochs: 2"), out.toString());
      Path latest = dir.resolve("checkpoints/LATEST");
      switch (damage) {
        case "deleted" -> Files.delete(latest);
        case "garbage" -> Files.write(latest, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00});
        default -> Files.write(dir.resolve("checkpoints/epoch-0002/controller.bin"), new byte[] {1});
      }
      assertFalse(Files.exists(dir.resolve("final.pbtxt")));
      assertEquals(0, run("resume", dir.toString()), damage + ": " + err);
      assertEquals(expected, summaryWithoutTime(dir), damage);
      assertTrue(expected.contains("epochs: 3"), expected);
    }
  }

  @Test
  void resumeRefusesARunWithNoUsableCheckpointAndWritesNothing() throws Exception {
    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", config().toString(), "--stop-after-epochs", "1"), err.toString());
    Path weights = dir.resolve("checkpoints/epoch-0001/weights.pb");
    Files.write(weights, new byte[] {9, 9, 9});
    long events = Files.size(dir.resolve("events.pb"));
    assertEquals(2, run("resume", dir.toString()));
    assertTrue(err.toString().contains("no checkpoint in") && err.toString().contains("epoch-0001: ")
        && err.toString().contains("weights.pb has 3 bytes") && err.toString().contains("--overwrite"), err.toString());
    assertEquals(events, Files.size(dir.resolve("events.pb")));
    assertEquals(3, Files.size(weights));

    assertEquals(2, run("resume", dir.toString(), "--from", "7"));
    assertTrue(err.toString().contains("no epoch-0007") && err.toString().contains("epoch-0001"), err.toString());
  }

  @Test
  void resumeOfAFinishedRunLeavesItAsItIs() throws Exception {
    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", config().toString()), err.toString());
    byte[] summary = Files.readAllBytes(dir.resolve("final.pbtxt"));
    byte[] events = Files.readAllBytes(dir.resolve("events.pb"));
    Files.delete(dir.resolve("checkpoints/LATEST"));
    assertEquals(0, run("resume", dir.toString()), err.toString());
    assertTrue(out.toString().contains("epochs: 2"), out.toString());
    assertArrayEquals(summary, Files.readAllBytes(dir.resolve("final.pbtxt")));
    assertArrayEquals(events, Files.readAllBytes(dir.resolve("events.pb")));
    assertEquals(2, run("resume", dir.toString(), "--from", "epoch-0001"));
    assertTrue(err.toString().contains("has finished"), err.toString());
  }

  @Test
  void searchIntoAHeldRunDirectoryNeedsOverwrite() throws Exception {
    Path cfg = config();
    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", cfg.toString(), "--stop-after-epochs", "1"), err.toString());
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Files.delete(dir.resolve("config.pbtxt"));
    assertEquals(2, run("search", cfg.toString()), "checkpoints and events alone are a run too");
    assertTrue(err.toString().contains("already holds a run (checkpoints, events.pb, tb)")
        && err.toString().contains("--overwrite"), err.toString());
    assertEquals(0, run("search", cfg.toString(), "--overwrite"), err.toString());
    assertTrue(out.toString().contains("discarded the run in " + dir + ": checkpoints, events.pb, tb"), out.toString());
    assertTrue(out.toString().contains("epochs: 2"), out.toString());
    assertEquals("mine", Files.readString(dir.resolve("notes.txt")), "files that are not the run's stay");
  }

  @Test
  void trainScansItsCheckpointsAndRefusesWhatItCannotContinue() throws Exception {
    String cfg = config().toString();
    String whole = tmp.resolve("whole").toString();
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", whole), err.toString());
    String metrics = Files.readString(tmp.resolve("whole/model/metrics.pbtxt")).replaceAll("(?m)^seconds:.*$", "");

    Path dir = tmp.resolve("t");
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", dir.toString(), "--stop-after-epochs", "1"),
        err.toString());
    Files.write(dir.resolve("checkpoints/LATEST"), new byte[] {(byte) 0x80, 0x01, 0x02});
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", dir.toString()), err.toString());
    assertEquals(metrics, Files.readString(dir.resolve("model/metrics.pbtxt")).replaceAll("(?m)^seconds:.*$", ""));

    // A finished training whose checkpoints are gone, or are all corrupt, is not trained again over its model.
    byte[] model = Files.readAllBytes(dir.resolve("model/weights.pb"));
    for (Path cp : Files.list(dir.resolve("checkpoints")).filter(p -> p.getFileName().toString().startsWith("epoch-"))
        .toList()) {
      Files.write(cp.resolve("weights.pb"), new byte[0]);
    }
    assertEquals(2, run("train", cfg, "--arch", "0 1 0", "--out", dir.toString()));
    assertTrue(err.toString().contains("no checkpoint in") && err.toString().contains("--restart"), err.toString());
    assertArrayEquals(model, Files.readAllBytes(dir.resolve("model/weights.pb")));
    assertEquals(0, run("train", cfg, "--arch", "0 1 0", "--out", dir.toString(), "--restart"), err.toString());

    // The space's options are part of a training: the search preset's checkpoints are not the final preset's.
    assertEquals(2, run("train", cfg, "--arch", "0 1 0", "--out", dir.toString(), "--search-preset"));
    assertTrue(err.toString().contains("another config (its space options"), err.toString());

    // Another seed is another training.
    Path seeded = Files.writeString(tmp.resolve("seeded.pbtxt"), Files.readString(Path.of(cfg)).replace("seed: 9",
        "seed: 10"));
    assertEquals(2, run("train", seeded.toString(), "--arch", "0 1 0", "--out", dir.toString()));
    assertTrue(err.toString().contains("another config (its seed)"), err.toString());

    // A search's run directory is not a training's to write into or discard.
    assertEquals(0, run("search", cfg, "--stop-after-epochs", "1"), err.toString());
    assertEquals(2, run("train", cfg, "--arch", "0 1 0", "--out", tmp.resolve("run").toString(), "--restart"));
    assertTrue(err.toString().contains("search's run directory"), err.toString());
    assertTrue(Files.isDirectory(tmp.resolve("run/checkpoints/epoch-0001")));
  }
}
