package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.enas.proto.Event;
import dev.enas.runtime.events.EventLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorBoard logs of a search (killed mid-epoch and resumed), its derive and a training, read back by the real
 * {@code tensorboard} package's EventAccumulator (in a virtualenv under {@code target/tb-venv}, installed from the
 * machine's local wheels): every tag, step and value must be the event log's, each step once; the derived
 * architecture's diagram (from a stand-in for Graphviz's dot) is an image.
 */
class TensorBoardIT {
  @TempDir
  static Path tmp;

  static Path python;
  static Distribution dist;
  static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    python = tensorBoardPython();
    dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = IdxFiles.write(tmp.resolve("data"), 700, 200, 3);
    config = Files.writeString(tmp.resolve("tiny.pbtxt"), TinyMicroSearch.config("tb-it", 41, 8, data, 200,
        "backend { id: \"tensorflow\" }",
        "epochs: 3 child_steps_per_epoch: 8 child_batch_size: 32 controller_updates_per_epoch: 2 "
            + "controller_samples_per_update: 3 eval_batch_size: 50 lr_max: 0.05 lr_min: 0.001 derive_samples: 3",
        "train { epochs: 2 batch_size: 32 steps_per_epoch: 3 test_batches: 1 }"));
  }

  /** A virtualenv's python with tensorboard importable; the test is skipped only when pip finds no wheel for it. */
  private static Path tensorBoardPython() throws Exception {
    Path venv = Path.of("target", "tb-venv").toAbsolutePath();
    Path py = venv.resolve("bin/python");
    if (Files.exists(py) && exec(120, py.toString(), "-c", "import tensorboard").code == 0) {
      return py;
    }
    Exec made;
    try {
      made = exec(300, "python3", "-m", "venv", "--clear", venv.toString());
    } catch (IOException e) {
      Assumptions.abort("python3 is not installed, so TensorBoard's reader cannot be run: " + e.getMessage());
      throw e;
    }
    assertEquals(0, made.code, "python3 -m venv " + venv + " failed:\n" + made.out);
    Exec pip = exec(600, py.toString(), "-m", "pip", "install", "--retries", "1", "tensorboard");
    if (pip.code != 0) {
      Matcher missing = Pattern.compile("(No matching distribution found for \\S+|Could not find a version that "
          + "satisfies the requirement \\S+)").matcher(pip.out);
      if (missing.find()) {
        Assumptions.abort("no tensorboard wheel for pip on this machine (" + missing.group(1) + "): install one "
            + "(pip download tensorboard on a connected machine, then point pip's find-links at it) to run this test");
      }
      fail("pip install tensorboard into " + venv + " failed:\n" + pip.out);
    }
    return py;
  }

  private record Exec(int code, String out) {}

  private static Exec exec(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile(tmp, "exec", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log));
    }
    return new Exec(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** What TensorBoard read: kind ("scalar", "text", "image") and tag -> step -> value as printed. */
  private static Map<String, Map<Long, String>> tensorBoardRead(Path dir) throws Exception {
    Path script = Path.of(TensorBoardIT.class.getResource("/tensorboard/read_events.py").toURI());
    Exec r = exec(300, python.toString(), script.toString(), dir.toString());
    assertEquals(0, r.code, "TensorBoard's EventAccumulator could not read " + dir + ":\n" + r.out);
    Map<String, Map<Long, String>> tags = new TreeMap<>();
    for (String line : r.out.split("\n")) {
      String[] f = line.split("\t", 4);
      if (f.length < 4) {
        continue; // a warning of the reader's, not a value
      }
      String old = tags.computeIfAbsent(f[0] + " " + f[1], t -> new TreeMap<>()).put(Long.parseLong(f[2]), f[3]);
      assertEquals(null, old, "TensorBoard shows " + f[1] + " at step " + f[2] + " twice");
    }
    return tags;
  }

  private static void assertScalar(double expected, Map<String, Map<Long, String>> tb, String tag, long step) {
    Map<Long, String> steps = tb.get("scalar " + tag);
    assertNotNull(steps, "TensorBoard has no scalar " + tag + "; it has " + tb.keySet());
    String v = steps.get(step);
    assertNotNull(v, tag + " has no step " + step + "; it has " + steps.keySet());
    // a summary holds a float
    assertEquals((float) expected, Double.parseDouble(v), 1e-6 * Math.max(1, Math.abs(expected)), tag + " at " + step);
  }

  @Test
  void aResumedSearchItsDeriveAndATrainingReadBackInTensorBoard() throws Exception {
    Path run = tmp.resolve("run");
    SearchResumeIT.killInTheSecondEpoch(dist, config, tmp, run);
    Distribution.Result resumed = dist.run(tmp, 300, "resume", run.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    // a stand-in for Graphviz's dot (rarely installed where tests run), so the diagram's way into TensorBoard is tested
    Distribution.Result derived = dist.run(tmp, 300, Map.of("PATH", fakeDot() + ":" + System.getenv("PATH")),
        "derive", run.toString());
    assertEquals(0, derived.exitCode(), derived.toString());
    Distribution.Result report = dist.run(tmp, 300, "report", run.toString(), "--tensorboard");
    assertEquals(0, report.exitCode(), report.toString());
    Path tbDir = run.resolve("tb").toAbsolutePath();
    assertTrue(report.out().contains("tensorboard --logdir " + tbDir + "\n"), report.toString());
    assertTrue(Files.exists(run.resolve("report/events.csv")), "the report is still written");

    Map<String, Map<Long, String>> tb = tensorBoardRead(tbDir);
    List<Event> events = EventLog.read(run);
    List<Event> childSteps = events.stream().filter(Event::hasChildStep).toList();
    List<Event> updates = events.stream().filter(Event::hasControllerUpdate).toList();
    List<Event> ends = events.stream().filter(Event::hasEpochEnd).toList();
    assertEquals(24, childSteps.size(), "3 epochs x 8 child steps in events.pb");
    assertEquals(24, tb.get("scalar child/loss").size(), "each child step once, though epoch 2 was done twice");
    for (Event e : childSteps) {
      assertScalar(e.getChildStep().getLoss(), tb, "child/loss", e.getStep());
      assertScalar(e.getChildStep().getAccuracy(), tb, "child/accuracy", e.getStep());
      assertScalar(e.getChildStep().getLearningRate(), tb, "child/learning_rate", e.getStep());
    }
    assertEquals(6, tb.get("scalar controller/mean_reward").size());
    for (int k = 0; k < updates.size(); k++) {
      var u = updates.get(k).getControllerUpdate();
      assertScalar(u.getMeanReward(), tb, "controller/mean_reward", k + 1);
      assertScalar(u.getBestReward(), tb, "controller/best_reward", k + 1);
      assertScalar(u.getBaseline(), tb, "controller/baseline", k + 1);
      assertScalar(u.getEntropy(), tb, "controller/entropy", k + 1);
      assertEquals(u.getBestArchString(), tb.get("text controller/best_arch").get(k + 1L), "update " + (k + 1));
    }
    assertEquals(3, ends.size());
    for (Event e : ends) {
      assertScalar(e.getEpochEnd().getMeanReward(), tb, "epoch/mean_reward", e.getEpoch() + 1);
      assertScalar(e.getEpochEnd().getMeanChildLoss(), tb, "epoch/mean_child_loss", e.getEpoch() + 1);
      assertTrue(Double.parseDouble(tb.get("scalar epoch/children_per_second").get(e.getEpoch() + 1L)) > 0);
    }

    String arch = Files.readString(run.resolve("derived/arch.txt")).trim();
    long step = childSteps.size();
    assertEquals(Map.of(step, arch), tb.get("text derive/arch"), "the derived architecture at the checkpoint's step");
    assertTrue(tb.containsKey("scalar derive/best_reward"), tb.keySet().toString());
    long pngBytes = Files.size(run.resolve("derived/arch.png"));
    assertEquals(Map.of(step, DIAGRAM_WIDTH + "x" + DIAGRAM_HEIGHT + "\t" + pngBytes),
        tb.get("image derive/arch_diagram"), "the diagram, as rendered by dot, is an image");

    Path trained = tmp.resolve("trained");
    Distribution.Result t = dist.run(tmp, 300, "train", config.toString(), "--search-preset", "--arch",
        "@" + run.resolve("derived/arch.txt"), "--out", trained.toString());
    assertEquals(0, t.exitCode(), t.toString());
    assertTrue(t.out().contains("tensorboard --logdir " + trained.resolve("tb").toAbsolutePath()), t.toString());
    Map<String, Map<Long, String>> train = tensorBoardRead(trained.resolve("tb"));
    String metrics = Files.readString(trained.resolve("model/metrics.pbtxt"));
    assertEquals(List.of(1L, 2L), new ArrayList<>(train.get("scalar train/loss").keySet()));
    assertScalar(field(metrics, "final_train_loss"), train, "train/loss", 2);
    assertScalar(field(metrics, "valid_accuracy"), train, "valid/accuracy", 2);
    assertScalar(field(metrics, "test_accuracy"), train, "test/accuracy", 2);
    assertTrue(train.containsKey("scalar train/examples_per_second"), train.keySet().toString());
    assertEquals(Map.of(0L, arch), train.get("text model/arch"));
  }

  static final int DIAGRAM_WIDTH = 37;
  static final int DIAGRAM_HEIGHT = 23;

  /** A directory holding a {@code dot} that answers {@code dot -Tpng -o PNG DOT} with a fixed PNG. */
  private static Path fakeDot() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("fake-graphviz"));
    Path png = bin.resolve("diagram.png");
    ImageIO.write(new BufferedImage(DIAGRAM_WIDTH, DIAGRAM_HEIGHT, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    Path dot = bin.resolve("dot");
    Files.writeString(dot, "#!/bin/sh\n[ \"$1\" = -Tpng ] && [ \"$2\" = -o ] && [ -s \"$4\" ] && cp '" + png
        + "' \"$3\"\n");
    assertTrue(dot.toFile().setExecutable(true));
    return bin;
  }

  private static double field(String pbtxt, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(pbtxt);
    assertTrue(m.find(), name + " not in\n" + pbtxt);
    return Double.parseDouble(m.group(1));
  }
}
