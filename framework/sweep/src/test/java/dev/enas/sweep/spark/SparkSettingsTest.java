package dev.enas.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.config.ConfigException;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void localByDefaultWithRetriesAndTheCoresSharedOut() {
    SparkSettings s = SparkSettings.of(null, 2, 0, 4, 10, List.of());
    assertTrue(s.local());
    assertEquals("local[2,4]", s.master());
    assertEquals(Math.max(1, CORES / 2), s.threads());
    assertEquals("local[1,3]", SparkSettings.of("local", 0, 0, 3, 5, List.of()).master());
    assertEquals("local[3,2]", SparkSettings.of("local[3,2]", 0, 0, 4, 5, List.of()).master());
    assertEquals(Math.min(CORES, 2), SparkSettings.of(null, 0, 0, 4, 2, List.of()).parallel(),
        "no more trials at once than there are trials");
  }

  @Test
  void aClusterTakesThreadsPerTrialAsTaskCpusAndShipsTheDistribution() {
    SparkSettings s = SparkSettings.of("spark://h:7077", 0, 2, 5, 4, List.of("spark.executor.memory=6g"));
    assertFalse(s.local());
    SparkConf c = s.conf("x");
    assertEquals("2", c.get("spark.task.cpus"));
    assertEquals("5", c.get("spark.task.maxFailures"));
    assertEquals("6g", c.get("spark.executor.memory"), "--conf comes last");
    assertTrue(c.get("spark.executor.extraJavaOptions").contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
  }

  @Test
  void badOptionsAreConfigErrors() {
    assertThrows(ConfigException.class, () -> SparkSettings.of("spark://h:7077", 2, 0, 4, 4, List.of()));
    assertThrows(ConfigException.class, () -> SparkSettings.of(null, 0, 0, 4, 4, List.of("novalue")));
    assertThrows(ConfigException.class, () -> SparkSettings.of("local[x]", 0, 0, 4, 4, List.of()));
  }

  @Test
  void aFailedJobIsToldByTheTrialsOwnMessage() {
    RuntimeException e = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 "
        + "times, most recent failure: Lost task 0.3: dev.enas.sweep.trial.TrialFailure: trial t001: enas search: "
        + "out of memory\n\tat dev.enas...");
    assertEquals("trial t001: enas search: out of memory", SparkSweep.failure(e));
  }
}
