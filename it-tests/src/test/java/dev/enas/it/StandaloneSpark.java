package dev.enas.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Spark standalone cluster on loopback: a master and worker processes, each its own JVM started from
 * the distribution's lib/ (which holds Spark), not a mock. Spark's worker launches executors through SPARK_HOME, so
 * the cluster gets a SPARK_HOME whose jars/ links the same jars (and an empty RELEASE file, which marks a
 * distribution rather than a source tree).
 */
final class StandaloneSpark implements AutoCloseable {
  /** The JDK packages Spark reaches into; its own launcher opens the same. */
  private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
      "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
      "sun.nio.cs", "sun.security.action", "sun.util.calendar");

  final String url;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final Path dir;
  private final Path home;

  private StandaloneSpark(Path dir, Path home, int port) throws IOException {
    this.dir = dir;
    this.home = home;
    this.url = "spark://127.0.0.1:" + port;
    this.master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(freePort()));
  }

  /** Starts a master and {@code workers} workers of one core each, and waits until every worker registered. */
  static StandaloneSpark start(Path dir, Path distribution, int workers) throws Exception {
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("RELEASE"), "");
    try (var jars = Files.list(distribution.resolve("lib"))) {
      for (Path j : jars.toList()) {
        Path link = home.resolve("jars").resolve(j.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, j.toAbsolutePath());
        }
      }
    }
    StandaloneSpark s = new StandaloneSpark(dir, home, freePort());
    try {
      s.awaitLog("master", "I have been elected leader", 60);
      for (int i = 1; i <= workers; i++) {
        s.startWorker(i);
      }
      for (int i = 1; i <= workers; i++) {
        s.awaitLog("worker" + i, "Successfully registered with master", 60);
      }
    } catch (Exception e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void startWorker(int i) throws IOException {
    Path work = dir.resolve("work" + i);
    Files.createDirectories(work);
    workers.add(start("worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
        "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(), url));
  }

  private Process start(String name, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String p : OPENS) {
      cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
    }
    cmd.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars").toAbsolutePath() + "/*", main));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(name).toFile());
    pb.environment().putAll(environment());
    pb.environment().put("SPARK_HOME", home.toAbsolutePath().toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    return pb.start();
  }

  /** What a driver on this machine needs to stay on loopback. */
  static Map<String, String> environment() {
    return Map.of("SPARK_LOCAL_IP", "127.0.0.1");
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private void awaitLog(String name, String line, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log(name)) && Files.readString(log(name)).contains(line)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not log '" + line + "' in " + seconds + " s:\n" + Files.readString(log(name)));
  }

  /**
   * SIGKILLs the worker that launched executor {@code executorId}, and the executor, as when their machine is lost:
   * no shutdown hooks, no goodbye to the driver. Returns false when no worker runs that executor.
   */
  boolean killWorkerOf(String executorId) throws InterruptedException {
    for (Process w : workers) {
      List<ProcessHandle> executors = w.descendants().toList();
      boolean runs = executors.stream().anyMatch(e -> e.info().arguments().map(a -> {
        for (int i = 0; i + 1 < a.length; i++) {
          if (a[i].equals("--executor-id") && a[i + 1].equals(executorId)) {
            return true;
          }
        }
        return false;
      }).orElse(false));
      if (runs) {
        executors.forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
        w.waitFor(30, TimeUnit.SECONDS);
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    for (Process w : workers) {
      w.descendants().forEach(ProcessHandle::destroyForcibly);
      w.destroyForcibly();
    }
    master.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
