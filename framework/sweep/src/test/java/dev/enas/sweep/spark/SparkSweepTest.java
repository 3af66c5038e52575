package dev.enas.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.SweepIndex;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialStatus;
import dev.enas.sweep.index.SweepDirectory;
import dev.enas.sweep.trial.TrialTask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's loop on embedded local[2], with trials that end at once: their directories lack the config the
 * driver writes, which a trial reports as a sweep directory its machine does not see (no plugins involved).
 */
class SparkSweepTest {
  @TempDir
  Path tmp;

  @Test
  void everyTrialEndsInTheIndexWithALinePerChangeAndTheBar() throws Exception {
    SweepDirectory dir = new SweepDirectory(tmp.resolve("sweep"));
    Files.createDirectories(dir.path());
    SweepIndex index = SweepIndex.newBuilder().setName("unit")
        .addTrial(Trial.newBuilder().setId("t000").setDir("trials/t000"))
        .addTrial(Trial.newBuilder().setId("t001").setDir("trials/t001")).build();
    dir.writeIndex(index);
    List<TrialTask> tasks = List.of(new TrialTask(dir.path().toString(), "t000", "trials/t000", false, -1, false, null),
        new TrialTask(dir.path().toString(), "t001", "trials/t001", false, -1, false, null));
    StringWriter out = new StringWriter();
    SparkSettings s = SparkSettings.of("local[2]", 0, 1, 1, 2, List.of());
    SweepIndex done = new SparkSweep(s.conf("unit"), false, new PrintWriter(out, true)).run(dir, index, tasks);

    for (Trial t : done.getTrialList()) {
      assertEquals(TrialStatus.TRIAL_FAILED, t.getStatus(), t.toString());
      assertTrue(t.getMessage().contains("does not see " + dir.resolve(t.getDir()).resolve("config.pbtxt")),
          t.getMessage());
      assertEquals(1, t.getAttempts(), "a trial that fails for a config reason is not retried");
    }
    assertEquals(done, dir.index(), "the index on disk is the final one");
    String o = out.toString();
    assertTrue(o.contains("t000 failed: executor driver on "), o);
    assertTrue(o.contains("[##############################] 2/2 done (0 running, 2 failed)"), o);
    assertTrue(Files.readString(dir.resolve(SweepDirectory.SUMMARY_CSV)).startsWith("trials,finished,failed\n2,0,2"),
        Files.readString(dir.resolve(SweepDirectory.SUMMARY_CSV)));
  }
}
