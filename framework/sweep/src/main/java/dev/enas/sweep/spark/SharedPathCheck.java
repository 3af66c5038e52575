package dev.enas.sweep.spark;

import dev.enas.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Before a cluster runs any trial: every executor must see the sweep directory at the driver's path (each trial's
 * run directory lives there, and a retried task must find the checkpoints its last attempt wrote, wherever it runs).
 * The driver writes a file with a random token there; a task on each executor reads it back. Executors that miss it,
 * or cannot run enas at all, refuse the sweep with a {@link ConfigException} (exit 2) that says what to fix.
 */
final class SharedPathCheck {
  private SharedPathCheck() {}

  static void check(JavaSparkContext sc, Path sweepDir, long waitMillis) throws IOException {
    int executors = awaitExecutors(sc, waitMillis);
    String token = UUID.randomUUID().toString();
    Path probe = sweepDir.resolve(".shared-path-check-" + token);
    Files.writeString(probe, token, StandardCharsets.UTF_8);
    try {
      // more tasks than executors' cores, so that every executor takes some
      int tasks = Math.max(2 * executors, sc.defaultParallelism() * 2);
      List<Integer> slices = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        slices.add(i);
      }
      List<String> answers;
      try {
        answers = sc.parallelize(slices, tasks).map(new Probe(probe.toString(), token)).collect();
      } catch (RuntimeException e) {
        throw new ConfigException("the cluster's executors cannot run enas tasks: " + rootMessage(e) + "; install "
            + "the enas distribution at " + System.getProperty("enas.home", "the driver's path")
            + " on every worker", e);
      }
      TreeSet<String> blind = new TreeSet<>();
      for (String a : answers) {
        if (!a.isEmpty()) {
          blind.add(a);
        }
      }
      if (!blind.isEmpty()) {
        throw new ConfigException("the sweep directory " + sweepDir + " is not visible from " + String.join(", ", blind)
            + "; a sweep on a cluster needs its directory on a path every worker sees (a shared file system mounted "
            + "at the same path on each machine): choose such a --sweep-dir");
      }
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Waits until an executor has registered; the number registered then. */
  private static int awaitExecutors(JavaSparkContext sc, long waitMillis) {
    long deadline = System.currentTimeMillis() + waitMillis;
    while (true) {
      // the driver counts itself among the block managers
      int n = sc.sc().getExecutorMemoryStatus().size() - 1;
      if (n > 0) {
        return n;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new ConfigException("no executor registered with " + sc.master() + " within " + waitMillis / 1000
            + " s: check that the master runs there and that its workers have the cores and memory the sweep asks "
            + "for (spark.executor.memory, spark.task.cpus = threads per trial)");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for executors", e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** Reads the probe file on an executor; "" when it holds the token, else which executor missed it. */
  static final class Probe implements Function<Integer, String> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String token;

    Probe(String file, String token) {
      this.file = file;
      this.token = token;
    }

    @Override
    public String call(Integer slice) throws Exception {
      Path p = Path.of(file);
      if (Files.isRegularFile(p) && token.equals(Files.readString(p, StandardCharsets.UTF_8))) {
        return "";
      }
      SparkEnv env = SparkEnv.get();
      return "executor " + (env == null ? "?" : env.executorId()) + " on "
          + java.net.InetAddress.getLocalHost().getHostName();
    }
  }
}
