package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    assertEquals(0, run("report", tmp.resolve("run").toString()), err.toString());
    for (String png : new String[] {"loss.png", "reward.png", "entropy.png"}) {
      BufferedImage img = ImageIO.read(tmp.resolve("run/report/" + png).toFile());
      assertNotNull(img, png + " is not a readable PNG");
      assertEquals(900, img.getWidth());
    }
    assertTrue(Files.readString(tmp.resolve("run/report/events.csv")).startsWith("unix_millis,epoch,step,kind"));
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
}
