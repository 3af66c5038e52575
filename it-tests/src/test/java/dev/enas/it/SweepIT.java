package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enas sweep} through the distribution: 4 tiny trials (REINFORCE and random controller, seeds 1 and 2; search,
 * derive, retrain) on embedded local[2], with the driver killed and the sweep resumed; the same sweep on a real
 * standalone master and two workers; and once more with a worker killed mid-trial. Every run's summary (wall time
 * aside) and derived architectures must be the same: the seed decides a trial, not where or how often it ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path sweep;
  static String localSummary;
  static String clusterSummary;
  static List<String> localArchs;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = IdxFiles.write(tmp.resolve("data"), 400, 100, 3);
    // four epochs of ten steps: long enough after the first checkpoint for a kill to land mid-search
    Files.writeString(tmp.resolve("base.pbtxt"), TinyMicroSearch.config("sweep-it", 1, 4, data, 100,
        "backend { id: \"tensorflow\" }",
        "epochs: 4 child_steps_per_epoch: 10 child_batch_size: 16 controller_updates_per_epoch: 1 "
            + "controller_samples_per_update: 2 eval_batch_size: 20 lr_max: 0.05 lr_min: 0.001 derive_samples: 2",
        "train { epochs: 1 batch_size: 16 steps_per_epoch: 3 test_batches: 1 }"));
    sweep = Files.writeString(tmp.resolve("sweep.pbtxt"), """
        name: "sweep-it"
        base_config: "base.pbtxt"
        axis { path: "controller.id" values: "reinforce" values: "random" }
        axis { path: "seed" values: "1" values: "2" }
        derive: true
        retrain { epochs: 1 search_preset: true }
        # as many op threads in every trial wherever it runs, so that floats add up alike
        threads_per_trial: 1
        """);
  }

  @Test
  @Order(0)
  void badAxesAreRefusedUpFrontAndATrialsConfigErrorFailsOnlyThatTrial() throws Exception {
    Path unknown = Files.writeString(tmp.resolve("unknown.pbtxt"), """
        base_config: "base.pbtxt"
        axis { path: "schedule.epochz" values: "1" }
        """);
    Distribution.Result u = dist.run(tmp, 120, StandaloneSpark.environment(), "sweep", unknown.toString(),
        "--sweep-dir", tmp.resolve("unknown").toString());
    assertEquals(2, u.exitCode(), u.toString());
    assertTrue(u.err().contains("enas.Schedule has no field epochz"), u.toString());
    // schedule.epochs 0 means the default (150): -1 is out of range, which each trial's search refuses
    Path bad = Files.writeString(tmp.resolve("bad.pbtxt"), """
        base_config: "base.pbtxt"
        axis { path: "schedule.epochs" values: "-1" values: "-2" }
        """);
    Distribution.Result m = dist.run(tmp, 120, StandaloneSpark.environment(), "sweep", bad.toString(),
        "--sweep-dir", tmp.resolve("bad-master").toString(), "--master", "local[x]");
    assertEquals(2, m.exitCode(), m.toString());
    assertTrue(m.err().contains("--master local[x] is not local"), m.toString());
    Path dir = tmp.resolve("bad");
    Distribution.Result r = dist.run(tmp, 200, StandaloneSpark.environment(), "sweep", bad.toString(),
        "--sweep-dir", dir.toString());
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("t000 failed: enas search:"), r.toString());
    assertTrue(r.out().contains("schedule.epochs"), r.toString());
    assertTrue(r.out().contains("] 2/2 done (0 running, 2 failed)"), r.toString());
    assertTrue(r.err().contains("2 of 2 trials failed"), r.toString());
    String index = Files.readString(dir.resolve("index.pbtxt"));
    assertEquals(2, index.split("status: TRIAL_FAILED", -1).length - 1, index);
    assertTrue(index.contains("attempts: 1"), "a config error is not retried:\n" + index);
  }

  @Test
  @Order(1)
  void localSweepSurvivesItsDriverDyingAndResumesOnlyWhatIsUnfinished() throws Exception {
    Path dir = tmp.resolve("local");
    Process driver = startSweep(dir);
    // wait for the first finished trial, then kill the driver (its trials run inside it) while others run
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    Path index = dir.resolve("index.pbtxt");
    while (System.nanoTime() < deadline && driver.isAlive()
        && !(Files.exists(index) && Files.readString(index).contains("TRIAL_FINISHED"))) {
      Thread.sleep(50);
    }
    assertTrue(driver.isAlive(), "the sweep ended before its driver could be killed:\n" + log("local-driver"));
    driver.destroyForcibly();
    driver.waitFor(30, TimeUnit.SECONDS);
    List<String> finishedBefore = finished(dir);
    assertTrue(finishedBefore.size() >= 1 && finishedBefore.size() < 4, "finished when killed: " + finishedBefore);
    String firstResult = Files.readString(dir.resolve("trials/" + finishedBefore.get(0) + "/result.pbtxt"));

    Distribution.Result r = dist.run(tmp, 400, StandaloneSpark.environment(), "sweep", "--resume", dir.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("resuming sweep " + dir + ": " + (4 - finishedBefore.size()) + " of 4 trials"),
        r.toString());
    for (String t : finishedBefore) {
      assertTrue(!r.out().contains(t + " running"), t + " had finished and must not run again:\n" + r.out());
    }
    assertEquals(firstResult, Files.readString(dir.resolve("trials/" + finishedBefore.get(0) + "/result.pbtxt")));
    assertTrue(r.out().contains("[##############################] 4/4 done (0 running, 0 failed)"), r.out());
    assertEquals(4, finished(dir).size());
    localSummary = summaryWithoutTime(dir);
    localArchs = archs(dir);
    assertEquals(3, localSummary.lines().count(), "a header and one row per controller:\n" + localSummary);
    assertTrue(localSummary.contains("test_accuracy_mean"), localSummary);

    // every trial is an ordinary run directory
    Distribution.Result report = dist.run(tmp, 120, "report", dir.resolve("trials/t000/run").toString());
    assertEquals(0, report.exitCode(), report.toString());
  }

  @Test
  @Order(2)
  void theSameSweepOnAStandaloneClusterGivesTheSameSummary() throws Exception {
    try (StandaloneSpark spark = StandaloneSpark.start(tmp.resolve("cluster"), dist.home, 2)) {
      Path dir = tmp.resolve("standalone");
      Distribution.Result r = dist.run(tmp, 400, StandaloneSpark.environment(), "sweep", sweep.toString(),
          "--sweep-dir", dir.toString(), "--master", spark.url);
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.out().contains("4 trials on " + spark.url), r.out());
      assertTrue(Pattern.compile("t00\\d running on executor [01] \\(127\\.0\\.0\\.1\\)").matcher(r.out()).find(),
          r.out());
      clusterSummary = summaryWithoutTime(dir);
      assertEquals(localSummary, clusterSummary, "the cluster's summary must equal local[2]'s");
      assertEquals(localArchs, archs(dir));
    }
  }

  @Test
  @Order(3)
  void aWorkerKilledMidTrialCostsOnlyTheWorkSinceTheCheckpoint() throws Exception {
    try (StandaloneSpark spark = StandaloneSpark.start(tmp.resolve("cluster-kill"), dist.home, 2)) {
      Path dir = tmp.resolve("killed");
      List<String> cmd = List.of("sweep", sweep.toString(), "--sweep-dir", dir.toString(), "--master", spark.url);
      Process driver = start("killed-driver", cmd);
      // once a trial has its first checkpoint and has not finished its search, the worker running it dies
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      String executor = null;
      while (System.nanoTime() < deadline && driver.isAlive() && executor == null) {
        executor = executorMidSearch(dir);
        Thread.sleep(20);
      }
      assertTrue(executor != null, "no trial was seen mid-search:\n" + log("killed-driver"));
      assertTrue(spark.killWorkerOf(executor), "no worker runs executor " + executor);
      assertTrue(driver.waitFor(400, TimeUnit.SECONDS), "the sweep did not finish:\n" + log("killed-driver"));
      String out = log("killed-driver");
      assertEquals(0, driver.exitValue(), out);
      assertTrue(Pattern.compile("attempt 1 lost on executor \\d").matcher(out).find(), out);
      String index = Files.readString(dir.resolve("index.pbtxt"));
      Matcher resumed = Pattern.compile("resumes: \"attempt 2: search resumed from epoch-000\\d\"").matcher(index);
      assertTrue(resumed.find(), "the lost trial must continue from its checkpoint:\n" + index);
      assertTrue(index.contains("attempts: 2"), index);
      assertEquals(clusterSummary, summaryWithoutTime(dir), "the summary must equal an undisturbed run's");
      assertEquals(localArchs, archs(dir));
    }
  }

  /** The executor that runs a trial whose search has a checkpoint and has not finished; null when none does. */
  @Test
  @Order(4)
  void aSweepWithAnArchTrainsThatArchitectureOverTheSeedsWithoutSearching() throws Exception {
    assertNotNull(localArchs, "needs the local sweep's derived architectures");
    Files.writeString(tmp.resolve("cell.txt"), localArchs.get(0) + "\n");
    Path config = Files.writeString(tmp.resolve("final.pbtxt"), """
        name: "final"
        base_config: "base.pbtxt"
        axis { path: "seed" values: "1" values: "2" }
        arch: "@cell.txt"
        retrain { epochs: 1 search_preset: true }
        threads_per_trial: 1
        """);
    Path dir = tmp.resolve("final");
    Distribution.Result r = dist.run(tmp, 300, StandaloneSpark.environment(), "sweep", config.toString(),
        "--sweep-dir", dir.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("t000", "t001"), finished(dir));
    for (String t : List.of("t000", "t001")) {
      assertFalse(Files.exists(dir.resolve("trials/" + t + "/run")), t + " searched");
      String metrics = Files.readString(dir.resolve("trials/" + t + "/train/model/metrics.pbtxt"));
      assertTrue(metrics.contains("arch_string: \"" + localArchs.get(0) + "\""), metrics);
      String trialLog = Files.readString(dir.resolve("trials/" + t + "/trial.log"));
      assertTrue(trialLog.contains("train epoch 1/1 ") && trialLog.contains("epoch 1/1: train loss"),
          "the trial's own log shows its progress and epochs:\n" + trialLog);
    }
    String header = Files.readAllLines(dir.resolve("summary.csv")).get(0);
    assertTrue(header.contains("valid_accuracy_mean") && header.contains("test_accuracy_sd"), header);
    assertFalse(header.contains("child_steps") || header.contains("final_reward"), header);
  }

  private static String executorMidSearch(Path dir) throws IOException {
    Path trials = dir.resolve("trials");
    if (!Files.isDirectory(trials)) {
      return null;
    }
    try (Stream<Path> s = Files.list(trials)) {
      for (Path t : s.toList()) {
        if (Files.exists(t.resolve("run/checkpoints/epoch-0001")) && !Files.exists(t.resolve("run/final.pbtxt"))
            && Files.exists(t.resolve("trial.log"))) {
          Matcher m = Pattern.compile("== attempt 1 on executor (\\d+) ")
              .matcher(Files.readString(t.resolve("trial.log")));
          if (m.find()) {
            return m.group(1);
          }
        }
      }
    }
    return null;
  }

  private static Process startSweep(Path dir) throws IOException {
    return start("local-driver", List.of("sweep", sweep.toString(), "--sweep-dir", dir.toString(), "--parallel", "2"));
  }

  private static Process start(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(dist.home.resolve("bin/enas").toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("ENAS_JAVA_OPTS", "-Xmx2g");
    pb.environment().putAll(StandaloneSpark.environment());
    return pb.start();
  }

  private static String log(String name) throws IOException {
    return Files.readString(tmp.resolve(name + ".log"));
  }

  private static List<String> finished(Path dir) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String trial : Files.readString(dir.resolve("index.pbtxt")).split("(?m)^trial \\{")) {
      Matcher id = Pattern.compile("^  id: \"(t\\d+)\"", Pattern.MULTILINE).matcher(trial);
      if (id.find() && trial.contains("\n  status: TRIAL_FINISHED")) {
        ids.add(id.group(1));
      }
    }
    return ids;
  }

  /** summary.csv without its wall-time columns, the only ones a disturbance may change. */
  private static String summaryWithoutTime(Path dir) throws IOException {
    List<String[]> rows = Files.readAllLines(dir.resolve("summary.csv")).stream().map(l -> l.split(",", -1)).toList();
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < rows.get(0).length; i++) {
      if (!rows.get(0)[i].startsWith("wall_seconds")) {
        keep.add(i);
      }
    }
    return rows.stream().map(r -> keep.stream().map(i -> r[i]).collect(Collectors.joining(",")))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static List<String> archs(Path dir) throws IOException {
    List<String> a = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      a.add(Files.readString(dir.resolve("trials/t00" + i + "/run/derived/arch.txt")).trim());
    }
    return a;
  }
}
