package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.testplugins.ToyBackendBProvider;
import dev.enas.runtime.testplugins.ToyBackendCProvider;
import dev.enas.runtime.testplugins.UnavailableBackendProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend} on search, resume and train, {@code enas evaluate}, and the backend's bad input (an unknown id,
 * natives missing, an op it does not implement), through the CLI on the host's toy backends: toy-backend (no
 * options), toy-backend-b (options with fields seconds and nanos), toy-backend-c (other type, same field names).
 */
class BackendSwitchCommandsTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private Path config(String backend) throws Exception {
    return Files.writeString(tmp.resolve("toy-" + backend.hashCode() + ".pbtxt"), """
        seed: 9
        run_dir: "%s"
        space { id: "tiny" }
        controller { id: "seeded" }
        reward { id: "toy-reward" }
        dataset { id: "toy-data" }
        %s
        schedule { epochs: 3 child_steps_per_epoch: 5 child_batch_size: 8 controller_updates_per_epoch: 2
                   controller_samples_per_update: 3 eval_batch_size: 8 derive_samples: 4 }
        train { epochs: 2 batch_size: 16 steps_per_epoch: 4 test_batches: 3 }
        """.formatted(tmp.resolve("run"), backend));
  }

  private static final String B = """
      backend { id: "toy-backend-b" options { [type.googleapis.com/google.protobuf.Duration] { seconds: 7 nanos: 3 } } }
      """;

  private static String summaryWithoutTime(Path run) throws Exception {
    return Files.readString(run.resolve("final.pbtxt")).replaceAll("(?m)^elapsed_seconds:.*$", "");
  }

  @Test
  void resumeOnAnotherBackendCarriesOptionsByNameAndRecordsTheSwitch() throws Exception {
    Path cfg = config(B);
    assertEquals(0, run("search", cfg.toString(), "--run-dir", tmp.resolve("straight").toString()), err.toString());
    String expected = summaryWithoutTime(tmp.resolve("straight"));

    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", cfg.toString(), "--stop-after-epochs", "1"), err.toString());
    ToyBackendCProvider.lastOptions = null;
    assertEquals(0, run("resume", dir.toString(), "--backend", "toy-backend-c", "--stop-after-epochs", "2"),
        err.toString());
    assertEquals(7, ToyBackendCProvider.lastOptions.getSeconds(), "seconds carried over by name");
    assertEquals(3, ToyBackendCProvider.lastOptions.getNanos(), "nanos carried over by name");
    assertTrue(out.toString().contains("epoch-0001 was written by backend 'toy-backend-b'; resuming on backend "
        + "'toy-backend-c', weights, momentum slots and batch-norm statistics carried over"), out.toString());
    String config = Files.readString(dir.resolve("config.pbtxt"));
    assertTrue(config.startsWith("# continued on backend 'toy-backend-c' from epoch-0001 (before: 'toy-backend-b')"),
        config);
    assertTrue(config.contains("id: \"toy-backend-c\"") && config.contains("google.protobuf.Timestamp"), config);

    // a later resume without --backend keeps the new backend; its checkpoint was written by it, so no line
    ToyBackendBProvider.lastOptions = null;
    assertEquals(0, run("resume", dir.toString()), err.toString());
    assertEquals(null, ToyBackendBProvider.lastOptions, "the switched run stays on toy-backend-c");
    assertFalse(out.toString().contains("was written by backend"), out.toString());
    // the toy backends compute alike, so the switched run ends as the straight one did
    assertEquals(expected, summaryWithoutTime(dir));

    assertEquals(0, run("report", dir.toString()), err.toString());
    assertTrue(out.toString().contains("backend: toy-backend-c") && out.toString().contains("before: 'toy-backend-b'"),
        out.toString());
  }

  @Test
  void anOptionTheTargetBackendLacksIsNamedWithBothBackendsAndTheFix() throws Exception {
    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", config(B).toString(), "--stop-after-epochs", "1"), err.toString());
    byte[] before = Files.readAllBytes(dir.resolve("config.pbtxt"));
    assertEquals(2, run("resume", dir.toString(), "--backend", "toy-backend"));
    String e = err.toString();
    assertTrue(e.contains("backend option seconds of backend 'toy-backend-b' has no counterpart in backend "
        + "'toy-backend'") && e.contains("edit the backend block") && !e.contains("\tat "), e);
    assertEquals(new String(before), Files.readString(dir.resolve("config.pbtxt")), "a refused switch writes nothing");

    assertEquals(2, run("search", config(B).toString(), "--backend", "toy-backend", "--run-dir",
        tmp.resolve("other").toString()));
    assertTrue(err.toString().contains("no counterpart"), err.toString());
  }

  @Test
  void anUnknownBackendIsAUsageErrorListingTheInstalledOnes() throws Exception {
    Path dir = tmp.resolve("run");
    assertEquals(0, run("search", config(B).toString(), "--stop-after-epochs", "1"), err.toString());
    for (String[] args : new String[][] {
        {"resume", dir.toString(), "--backend", "pytorhc"},
        {"search", config(B).toString(), "--backend", "pytorhc", "--run-dir", tmp.resolve("x").toString()},
        {"validate", config("backend { id: \"pytorhc\" }").toString()},
        {"bench", "backend", "--space", "tiny", "--backend", "pytorhc", "--steps", "1"}}) {
      assertEquals(2, run(args), String.join(" ", args) + "\n" + err);
      assertTrue(err.toString().contains("unknown backend plugin 'pytorhc'; available: ")
          && err.toString().contains("toy-backend, toy-backend-b"), err.toString());
    }
  }

  @Test
  void aBackendWhoseNativesAreMissingIsAUsageErrorWithoutAStackTrace() throws Exception {
    for (String[] args : new String[][] {
        {"validate", config("backend { id: \"toy-unavailable\" }").toString()},
        {"search", config("backend { id: \"toy-backend\" }").toString(), "--backend", "toy-unavailable", "--run-dir", tmp.resolve("x").toString()},
        {"bench", "backend", "--space", "tiny", "--backend", "toy-unavailable", "--steps", "1"}}) {
      assertEquals(2, run(args), String.join(" ", args) + "\n" + err);
      assertEquals("error: " + UnavailableBackendProvider.MESSAGE + "\n", err.toString().replace("\r", ""));
    }
  }

  @Test
  void anOpTheBackendDoesNotImplementIsRefusedAtValidateTime() throws Exception {
    Path cfg = config("backend { id: \"toy-no-pool\" }");
    assertEquals(2, run("validate", cfg.toString()));
    String e = err.toString();
    assertTrue(e.contains("backend 'toy-no-pool' does not support op Pool (") && e.contains("space 'tiny'")
        && e.contains(cfg + ":7"), e);
    assertEquals(2, run("search", cfg.toString()));
    assertFalse(Files.exists(tmp.resolve("run")), "refused before any work");
    assertEquals(2, run("search", config("backend { id: \"toy-backend\" }").toString(), "--backend", "toy-no-pool"));
    assertTrue(err.toString().contains("does not support op Pool"), err.toString());
  }

  private static double field(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void evaluateGivesTheNumbersTrainPrintedAndRunsOnAnotherBackend() throws Exception {
    Path cfg = config(B);
    Path outDir = tmp.resolve("t");
    assertEquals(0, run("train", cfg.toString(), "--arch", "0 1 0", "--out", outDir.toString()), err.toString());
    TrainSummary.Builder trained = TrainSummary.newBuilder();
    TextFormat.merge(Files.readString(outDir.resolve("model/metrics.pbtxt")), trained);
    String printed = out.toString();
    assertTrue(Files.readString(outDir.resolve("model/config.pbtxt")).contains("batch_size: 16"));

    assertEquals(0, run("evaluate", outDir.toString()), err.toString());
    assertEquals(trained.getTestLoss(), field(out.toString(), "loss"), 0.0, out.toString());
    assertEquals(trained.getTestAccuracy(), field(out.toString(), "accuracy"), 0.0);
    assertEquals(trained.getTestExamples(), (long) field(out.toString(), "examples"));
    Matcher line = Pattern.compile("test accuracy (\\S+) on").matcher(printed);
    assertTrue(line.find(), printed);
    assertTrue(out.toString().contains("test accuracy " + line.group(1) + " (loss"), out.toString());

    assertEquals(0, run("evaluate", outDir.toString(), "--split", "valid"), err.toString());
    assertEquals(trained.getValidAccuracy(), field(out.toString(), "accuracy"), 0.0);

    ToyBackendCProvider.lastOptions = null;
    assertEquals(0, run("evaluate", outDir.toString(), "--backend", "toy-backend-c"), err.toString());
    assertTrue(out.toString().contains("backend: toy-backend-c"), out.toString());
    assertEquals(7, ToyBackendCProvider.lastOptions.getSeconds());
    assertEquals(trained.getTestLoss(), field(out.toString(), "loss"), 1e-12);

    assertEquals(2, run("evaluate", outDir.toString(), "--split", "train"));
    assertTrue(err.toString().contains("--split must be test or valid"), err.toString());

    // the model's config no longer validates (its data changed, here its file): what failed, and that it is the
    // training's config, which cannot simply take another option
    Path saved = outDir.resolve("model/config.pbtxt");
    Files.writeString(saved, Files.readString(saved).replace("batch_size: 16", "batch_size: -16"));
    err.getBuffer().setLength(0);
    assertEquals(2, run("evaluate", outDir.toString()));
    assertTrue(err.toString().contains("train.batch_size must be in") && err.toString().contains("was trained with")
        && err.toString().contains("train again"), err.toString());
  }

  @Test
  void evaluateOfWhatIsNotAFinishedTrainingSaysWhatIsThereAndWhatToRun() throws Exception {
    Path cfg = config(B);
    assertEquals(2, run("evaluate", tmp.resolve("nowhere").toString()));
    assertTrue(err.toString().contains("does not exist") && err.toString().contains("enas train"), err.toString());

    assertEquals(0, run("search", cfg.toString(), "--stop-after-epochs", "1"), err.toString());
    assertEquals(2, run("evaluate", tmp.resolve("run").toString()));
    assertTrue(err.toString().contains("search's run directory") && err.toString().contains("enas derive"),
        err.toString());

    Path half = tmp.resolve("half");
    assertEquals(0, run("train", cfg.toString(), "--arch", "0 1 0", "--out", half.toString(), "--stop-after-epochs",
        "1"), err.toString());
    assertEquals(2, run("evaluate", half.toString()));
    assertTrue(err.toString().contains("unfinished training (checkpoints up to epoch-0001")
        && err.toString().contains("same enas train command again"), err.toString());

    Files.createDirectories(tmp.resolve("junk"));
    Files.writeString(tmp.resolve("junk/notes.txt"), "x");
    assertEquals(2, run("evaluate", tmp.resolve("junk").toString()));
    assertTrue(err.toString().contains("not the output of enas train (it holds notes.txt)"), err.toString());
  }

  @Test
  void trainContinuesOnAnotherBackendOnlyWhenAskedTo() throws Exception {
    Path cfg = config(B);
    String whole = tmp.resolve("whole").toString();
    assertEquals(0, run("train", cfg.toString(), "--arch", "0 1 0", "--out", whole), err.toString());
    String metrics = Files.readString(tmp.resolve("whole/model/metrics.pbtxt")).replaceAll("(?m)^seconds:.*$", "");

    Path dir = tmp.resolve("t");
    assertEquals(0, run("train", cfg.toString(), "--arch", "0 1 0", "--out", dir.toString(), "--stop-after-epochs",
        "1"), err.toString());
    Path other = config("backend { id: \"toy-backend-c\" }");
    assertEquals(2, run("train", other.toString(), "--arch", "0 1 0", "--out", dir.toString()));
    assertTrue(err.toString().contains("it was trained on 'toy-backend-b'")
        && err.toString().contains("--backend toy-backend-c"), err.toString());
    assertEquals(0, run("train", cfg.toString(), "--arch", "0 1 0", "--out", dir.toString(), "--backend",
        "toy-backend-c"), err.toString());
    assertTrue(out.toString().contains("written by backend 'toy-backend-b'; resuming on backend 'toy-backend-c'"),
        out.toString());
    assertEquals(metrics, Files.readString(dir.resolve("model/metrics.pbtxt")).replaceAll("(?m)^seconds:.*$", ""));
    assertTrue(Files.readString(dir.resolve("model/config.pbtxt")).contains("toy-backend-c"));
  }
}
