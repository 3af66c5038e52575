package dev.enas.sweep.spark;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.proto.SweepIndex;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialStatus;
import dev.enas.sweep.index.SweepDirectory;
import dev.enas.sweep.trial.TrialTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Runs a sweep's pending trials on Spark, one job of one task per trial, so that each trial finishes (or is retried)
 * on its own and the index and summary are rewritten as soon as it does. Spark's task retry starts a trial whose
 * task or executor died again, and the trial resumes from its checkpoint ({@link TrialTask}). The driver owns the
 * index: it prints one line per trial state change and the overall bar, and writes index and summary each time.
 */
public final class SparkSweep {
  private static final String TRIAL_PROPERTY = "enas.sweep.trial";

  private final SparkConf conf;
  private final boolean cluster;
  private final PrintWriter out;

  /** The driver's Spark context stopped under the sweep (the process is shutting down). */
  public static final class SweepStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SweepStopped(String message) {
      super(message);
    }
  }

  /** A state change seen by Spark's listener thread, handed to the driver's loop. */
  private record Change(String trial, String line, boolean running, int attempt) {}

  public SparkSweep(SparkConf conf, boolean cluster, PrintWriter out) {
    this.conf = conf;
    this.cluster = cluster;
    this.out = out;
  }

  /** Runs {@code tasks} (trials of {@code index} that are not done) to the end; returns the final index. */
  public SweepIndex run(SweepDirectory dir, SweepIndex index, List<TrialTask> tasks) throws IOException {
    Map<String, Trial> trials = new LinkedHashMap<>();
    index.getTrialList().forEach(t -> trials.put(t.getId(), t));
    BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      if (cluster) {
        SharedPathCheck.check(sc, dir.path(), 120_000);
      }
      sc.sc().addSparkListener(new Listener(changes));
      Map<String, JavaFutureAction<List<byte[]>>> running = new LinkedHashMap<>();
      for (TrialTask t : tasks) {
        sc.setLocalProperty(TRIAL_PROPERTY, t.id());
        sc.setJobDescription("enas trial " + t.id());
        running.put(t.id(), sc.parallelize(List.of(t), 1).map(new RunTrial()).collectAsync());
      }
      sc.setLocalProperty(TRIAL_PROPERTY, null);
      while (!running.isEmpty()) {
        Change c = poll(changes);
        // finished jobs first: a task that starts on a core another trial just left is told after that trial's end
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if (!e.getValue().isDone()) {
            continue;
          }
          it.remove();
          if (sc.sc().isStopped()) {
            // the driver is going down (SIGTERM, Ctrl-C): its jobs were cancelled, not failed; they stay unfinished
            throw new SweepStopped("the sweep was stopped before its trials finished; enas sweep --resume "
                + dir.path() + " continues it");
          }
          Trial after = outcome(trials.get(e.getKey()), e.getValue());
          trials.put(e.getKey(), after);
          update(dir, index, trials, describe(after));
        }
        if (c != null) {
          Trial t = trials.get(c.trial());
          if (t.getStatus() == TrialStatus.TRIAL_FINISHED || t.getStatus() == TrialStatus.TRIAL_FAILED) {
            continue;
          }
          Trial.Builder b = t.toBuilder();
          if (c.running()) {
            b.setStatus(TrialStatus.TRIAL_RUNNING).setAttempts(Math.max(t.getAttempts(), c.attempt()));
          }
          trials.put(c.trial(), b.build());
          update(dir, index, trials, c.trial() + " " + c.line());
        }
      }
    }
    return rebuilt(index, trials);
  }

  private static Change poll(BlockingQueue<Change> changes) {
    try {
      return changes.poll(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the sweep ran", e);
    }
  }

  /** The trial as its finished job left it: the task's answer, or failed with the last attempt's error. */
  private static Trial outcome(Trial before, JavaFutureAction<List<byte[]>> job) {
    try {
      Trial done = Trial.parseFrom(job.get().get(0));
      List<String> resumes = new ArrayList<>(before.getResumesList());
      done.getResumesList().stream().filter(r -> !resumes.contains(r)).forEach(resumes::add);
      return before.toBuilder().setStatus(done.getStatus()).setResult(done.getResult()).setMessage(done.getMessage())
          .setAttempts(Math.max(before.getAttempts(), done.getAttempts())).clearResumes().addAllResumes(resumes)
          .build();
    } catch (ExecutionException e) {
      return before.toBuilder().setStatus(TrialStatus.TRIAL_FAILED).setMessage(failure(e)).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the sweep ran", e);
    } catch (InvalidProtocolBufferException e) {
      return before.toBuilder().setStatus(TrialStatus.TRIAL_FAILED)
          .setMessage("the trial's task answered with a damaged result: " + e.getMessage()).build();
    }
  }

  /** A failed job's cause as one line: our trial message when it carries one, else Spark's first line. */
  static String failure(Throwable e) {
    String all = String.valueOf(e.getMessage());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("TrialFailure: (trial \\S+: [^\\n]*)").matcher(all);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    if (last != null) {
      return last;
    }
    Throwable t = e.getCause() != null ? e.getCause() : e;
    String first = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
    return first.isEmpty() ? t.getClass().getName() : first;
  }

  private static String describe(Trial t) {
    switch (t.getStatus()) {
      case TRIAL_FINISHED:
        StringBuilder b = new StringBuilder(t.getId()).append(" finished");
        if (t.getResult().hasFinalReward()) {
          b.append(String.format(Locale.ROOT, ": final reward %.4f", t.getResult().getFinalReward()));
        }
        if (t.getResult().hasDerivedReward()) {
          b.append(String.format(Locale.ROOT, ", derived reward %.4f", t.getResult().getDerivedReward()));
        }
        if (t.getResult().hasTestAccuracy()) {
          b.append(String.format(Locale.ROOT, ", test accuracy %.4f", t.getResult().getTestAccuracy()));
        }
        if (t.getResult().hasTestPerplexity()) {
          b.append(String.format(Locale.ROOT, ", test perplexity %.2f", t.getResult().getTestPerplexity()));
        }
        if (t.getResumesCount() > 0) {
          b.append(" (").append(String.join("; ", t.getResumesList())).append(')');
        }
        return b.toString();
      case TRIAL_FAILED:
        return t.getId() + " failed: " + t.getMessage();
      default:
        return t.getId() + " " + t.getStatus();
    }
  }

  private void update(SweepDirectory dir, SweepIndex index, Map<String, Trial> trials, String line)
      throws IOException {
    SweepIndex now = rebuilt(index, trials);
    dir.writeIndex(now);
    out.println(line);
    out.println(bar(now));
    out.flush();
  }

  private static SweepIndex rebuilt(SweepIndex index, Map<String, Trial> trials) {
    return index.toBuilder().clearTrial().addAllTrial(trials.values()).build();
  }

  /** The overall bar: {@code [####....] 2/4 done (1 running, 0 failed)}. */
  static String bar(SweepIndex index) {
    int n = index.getTrialCount();
    int done = 0;
    int failed = 0;
    int running = 0;
    for (Trial t : index.getTrialList()) {
      switch (t.getStatus()) {
        case TRIAL_FINISHED -> done++;
        case TRIAL_FAILED -> {
          done++;
          failed++;
        }
        case TRIAL_RUNNING -> running++;
        default -> { }
      }
    }
    int width = 30;
    int filled = n == 0 ? width : done * width / n;
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + n + " done (" + running
        + " running, " + failed + " failed)";
  }

  /** Sees tasks start and fail, and tells the driver's loop which trial each belongs to. */
  private static final class Listener extends SparkListener {
    private final BlockingQueue<Change> changes;
    private final Map<Integer, String> stageTrial = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastAttempt = new HashMap<>();

    Listener(BlockingQueue<Change> changes) {
      this.changes = changes;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String trial = job.properties() == null ? null : job.properties().getProperty(TRIAL_PROPERTY);
      if (trial != null) {
        job.stageIds().foreach(s -> stageTrial.put((Integer) s, trial));
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
      String trial = stageTrial.get(start.stageId());
      if (trial == null) {
        return;
      }
      int attempt = start.taskInfo().attemptNumber() + 1;
      lastAttempt.put(trial, attempt);
      changes.add(new Change(trial, String.format(Locale.ROOT, "running on executor %s (%s)%s",
          start.taskInfo().executorId(), start.taskInfo().host(),
          attempt > 1 ? ", attempt " + attempt + ", continuing from its checkpoint" : ""), true, attempt));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      String trial = stageTrial.get(end.stageId());
      if (trial == null || !(end.reason() instanceof TaskFailedReason reason)) {
        return;
      }
      String why = reason.toErrorString().lines().findFirst().orElse("");
      changes.add(new Change(trial, String.format(Locale.ROOT, "attempt %d lost on executor %s: %s",
          end.taskInfo().attemptNumber() + 1, end.taskInfo().executorId(), why), false, 0));
    }
  }
}
