package dev.enas.sweep.trial;

import com.google.protobuf.TextFormat;
import dev.enas.proto.SearchSummary;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialResult;
import dev.enas.proto.TrialStatus;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.cli.Main;
import dev.enas.runtime.progress.ThreadLines;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.train.ChildTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One trial, run where Spark puts its task: the search (or its resume), derive and retraining, each through the very
 * command {@code enas} runs for it, in this JVM. Every step first looks at what the trial's directory already holds,
 * so a task started again — after a lost executor, a failed attempt or a restarted driver — continues each step from
 * its last checkpoint and skips finished ones; it never starts a run over. A step that ends with a config error
 * (exit 2) fails the trial with its message; a run-time failure (exit 1) is thrown, for Spark to retry the task.
 *
 * @param sweepDir absolute path of the sweep directory, the same on every machine
 * @param retrainEpochs epochs of the retraining (0: the config's train.epochs), or -1 for none
 * @param arch the architecture to train instead of searching (the sweep's {@code arch}), or null to search
 */
public record TrialTask(String sweepDir, String id, String dir, boolean derive, int retrainEpochs,
    boolean searchPreset, String arch) implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String CONFIG = "config.pbtxt";
  public static final String RUN = "run";
  public static final String TRAIN = "train";
  public static final String LOG = "trial.log";
  public static final String RESULT = "result.pbtxt";

  /**
   * Runs the trial's steps; {@code attempt} counts from 1, {@code where} names the executor for the trial's log.
   * Returns the trial as the index should hold it.
   */
  public Trial run(int attempt, String where) throws IOException {
    Path trialDir = Path.of(sweepDir).resolve(dir);
    Path config = trialDir.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      // the driver wrote it before starting the task: a machine that does not see it does not share the directory
      return failed(attempt, List.of(), where + " does not see " + config + ": the sweep "
          + "directory must be on a path every worker sees (a shared file system mounted at the same path)");
    }
    ProcessPlugins.ensure();
    Path run = trialDir.resolve(RUN);
    Path train = trialDir.resolve(TRAIN);
    List<String> resumes = new ArrayList<>();
    try (Writer log = Files.newBufferedWriter(trialDir.resolve(LOG), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      log.write(String.format(Locale.ROOT, "== attempt %d on %s%n", attempt, where));
      String failure = null;
      if (arch == null && !Files.exists(run.resolve(RunDirectory.SUMMARY))) {
        List<Path> cps = Files.isDirectory(run) ? new CheckpointStore(run, 2).checkpoints() : List.of();
        if (cps.isEmpty()) {
          failure = step(log, "search", config.toString(), "--run-dir", run.toString(), "--overwrite");
        } else {
          resumes.add(String.format(Locale.ROOT, "attempt %d: search resumed from %s", attempt,
              cps.get(cps.size() - 1).getFileName()));
          failure = step(log, "resume", run.toString());
        }
      }
      Path derived = run.resolve("derived/arch.txt");
      if (failure == null && arch == null && derive && !Files.exists(derived)) {
        failure = step(log, "derive", run.toString());
      }
      Path metrics = train.resolve(ChildTrainer.MODEL_DIR).resolve(ChildTrainer.MODEL_METRICS);
      if (failure == null && retrainEpochs >= 0 && !Files.exists(metrics)) {
        List<String> args = new ArrayList<>(List.of("train", config.toString(), "--arch",
            arch != null ? arch : "@" + derived, "--out", train.toString()));
        if (retrainEpochs > 0) {
          args.addAll(List.of("--epochs", String.valueOf(retrainEpochs)));
        }
        if (searchPreset) {
          args.add("--search-preset");
        }
        List<Path> cps = Files.isDirectory(train) ? new CheckpointStore(train, 2).checkpoints() : List.of();
        if (!cps.isEmpty()) {
          resumes.add(String.format(Locale.ROOT, "attempt %d: retraining resumed from %s", attempt,
              cps.get(cps.size() - 1).getFileName()));
        }
        failure = step(log, args.toArray(new String[0]));
      }
      if (failure != null) {
        return failed(attempt, resumes, failure);
      }
      Trial t = Trial.newBuilder().setId(id).setStatus(TrialStatus.TRIAL_FINISHED).setAttempts(attempt)
          .addAllResumes(resumes).setResult(result(run, train)).build();
      AtomicFiles.write(trialDir.resolve(RESULT), TextFormat.printer().printToString(t).getBytes(StandardCharsets.UTF_8));
      return t;
    }
  }

  private Trial failed(int attempt, List<String> resumes, String message) {
    return Trial.newBuilder().setId(id).setStatus(TrialStatus.TRIAL_FAILED).setAttempts(attempt)
        .addAllResumes(resumes).setMessage(message).build();
  }

  /**
   * Runs one enas command in this JVM with its output appended to the trial's log; null when it succeeded, its
   * error message when it ended with a config error. A run-time failure is thrown for Spark to retry the task.
   */
  private String step(Writer log, String... args) throws IOException {
    log.write("$ enas " + String.join(" ", args) + "\n");
    log.flush();
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(log, true);
    // the command's progress and epoch lines, which the sweep's shared logger keeps quiet, go to this trial's log
    ThreadLines.set(line -> out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line));
    int code;
    try {
      code = Main.run(out, new PrintWriter(new TeeWriter(err, log), true), args);
    } finally {
      ThreadLines.clear();
    }
    out.flush();
    log.flush();
    String message = lastError(err.toString(), args[0]);
    if (code == 2) {
      return message;
    }
    if (code != 0) {
      throw new TrialFailure("trial " + id + ": " + message);
    }
    return null;
  }

  private static String lastError(String err, String command) {
    String m = null;
    for (String line : err.split("\n")) {
      if (line.startsWith("error: ")) {
        m = line.substring("error: ".length()).trim();
      }
    }
    return "enas " + command + ": " + (m != null ? m : "failed without a message; see the trial's " + LOG);
  }

  /** What the trial's runs recorded: its search's, when it searched, and its retraining's. */
  static TrialResult result(Path run, Path train) throws IOException {
    TrialResult.Builder r = TrialResult.newBuilder();
    double seconds = 0;
    if (Files.exists(run.resolve(RunDirectory.SUMMARY))) {
      SearchSummary.Builder s = SearchSummary.newBuilder();
      TextFormat.merge(Files.readString(run.resolve(RunDirectory.SUMMARY)), s);
      r.setFinalReward(s.getLastMeanReward()).setChildSteps(s.getChildSteps());
      seconds = s.getElapsedSeconds();
    }
    Path candidates = run.resolve("derived/candidates.csv");
    if (Files.exists(candidates)) {
      // rank 1 is the derived architecture: rank,reward,accuracy,"arch"
      List<String> lines = Files.readAllLines(candidates);
      if (lines.size() > 1) {
        String[] cells = lines.get(1).split(",", 4);
        r.setDerivedReward(Double.parseDouble(cells[1])).setDerivedAccuracy(Double.parseDouble(cells[2]))
            .setDerivedArch(cells[3].replaceAll("^\"|\"$", ""));
      }
    }
    Path metrics = train.resolve(ChildTrainer.MODEL_DIR).resolve(ChildTrainer.MODEL_METRICS);
    if (Files.exists(metrics)) {
      TrainSummary.Builder t = TrainSummary.newBuilder();
      TextFormat.merge(Files.readString(metrics), t);
      if (t.getTestPerplexity() > 0) {
        r.setTestPerplexity(t.getTestPerplexity());
        if (t.getValidPerplexity() > 0) {
          r.setValidPerplexity(t.getValidPerplexity());
        }
      } else {
        r.setTestAccuracy(t.getTestAccuracy()).setValidAccuracy(t.getValidAccuracy());
      }
      seconds += t.getSeconds();
    }
    return r.setWallSeconds(seconds).build();
  }

  /** Writes to two writers: the error text kept for the message, and the trial's log. */
  private static final class TeeWriter extends Writer {
    private final Writer a;
    private final Writer b;

    TeeWriter(Writer a, Writer b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
