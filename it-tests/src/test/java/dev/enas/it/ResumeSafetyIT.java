package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.Event;
import dev.enas.proto.RunProgress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume through the distribution when a run's checkpoints are damaged: LATEST deleted, LATEST full of random bytes,
 * the newest checkpoint corrupt. Each resumes from the right checkpoint and ends as an uninterrupted run does, keeping
 * every event written up to that checkpoint; a finished run or one without usable checkpoints is never started again
 * over its files, and a search into a directory holding a run needs --overwrite. A tiny search (3 epochs of 3 steps)
 * keeps each bin/enas call to seconds.
 */
class ResumeSafetyIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path config;
  /** An uninterrupted run, and one stopped after its second of three epochs (checkpoints epoch-0001, epoch-0002). */
  static Path straight;
  static Path stopped;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = IdxFiles.write(tmp.resolve("data"), 300, 100, 5);
    config = Files.writeString(tmp.resolve("tiny.pbtxt"), TinyMicroSearch.config("resume-it", 31, 8, data, 100,
        "backend { id: \"tensorflow\" }",
        "epochs: 3 child_steps_per_epoch: 3 child_batch_size: 16 controller_updates_per_epoch: 1 "
            + "controller_samples_per_update: 2 eval_batch_size: 50 lr_max: 0.05 lr_min: 0.001 derive_samples: 2",
        ""));
    straight = tmp.resolve("straight");
    Distribution.Result a = dist.run(tmp, 300, "search", config.toString(), "--run-dir", straight.toString());
    assertEquals(0, a.exitCode(), a.toString());
    stopped = tmp.resolve("stopped");
    Distribution.Result b = dist.run(tmp, 300, "search", config.toString(), "--run-dir", stopped.toString(),
        "--stop-after-epochs", "2");
    assertEquals(0, b.exitCode(), b.toString());
    assertTrue(Files.isDirectory(stopped.resolve("checkpoints/epoch-0001"))
        && Files.isDirectory(stopped.resolve("checkpoints/epoch-0002")), "keep=2 leaves both checkpoints");
  }

  @Test
  void aDeletedLatestResumesFromTheNewestCheckpoint() throws Exception {
    Path run = copy(stopped, "no-latest");
    Files.delete(run.resolve("checkpoints/LATEST"));
    resumeAndCompare(run, "epoch-0002",
        "checkpoints/LATEST is missing; epoch-0002 is the newest checkpoint that verifies");
  }

  @Test
  void aGarbageLatestResumesFromTheNewestCheckpoint() throws Exception {
    Path run = copy(stopped, "garbage-latest");
    byte[] random = new byte[64];
    new java.util.SplittableRandom(3).nextBytes(random);
    random[0] = (byte) 0xFF; // never valid UTF-8
    Files.write(run.resolve("checkpoints/LATEST"), random);
    resumeAndCompare(run, "epoch-0002", "checkpoints/LATEST is unreadable");
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
    Path run = copy(stopped, "corrupt-newest");
    Path weights = run.resolve("checkpoints/epoch-0002/weights.pb");
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x5A);
    }
    byte[] corrupt = Files.readAllBytes(weights);
    String err = resumeAndCompare(run, "epoch-0001", "fell back to epoch-0001");
    assertTrue(err.contains("epoch-0002/weights.pb fails its sha256 check"), "the warning names the bad file:\n" + err);
    assertArrayEquals(corrupt, Files.readAllBytes(run.resolve("checkpoints/corrupt-epoch-0002/weights.pb")),
        "the corrupt checkpoint is set aside as it was, not overwritten");
  }

  @Test
  void aFinishedRunIsLeftAsItIsAndASearchDoesNotOverwriteIt() throws Exception {
    Path run = copy(straight, "finished");
    Files.delete(run.resolve("checkpoints/LATEST"));
    Map<String, String> before = files(run);
    Distribution.Result r = dist.run(tmp, 300, "resume", run.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("has finished") && r.out().contains("epochs: 3"), r.toString());
    assertEquals(before, files(run), "resuming a finished run writes nothing");

    Distribution.Result s = dist.run(tmp, 300, "search", config.toString(), "--run-dir", run.toString());
    assertEquals(2, s.exitCode(), s.toString());
    assertTrue(s.err().contains("already holds a run") && s.err().contains("--overwrite"), s.toString());
    assertEquals(before, files(run));
  }

  @Test
  void aRunWithoutUsableCheckpointsIsRefusedAndLeftAlone() throws Exception {
    Path run = copy(stopped, "none-usable");
    for (String cp : new String[] {"epoch-0001", "epoch-0002"}) {
      Files.write(run.resolve("checkpoints/" + cp + "/controller.bin"), new byte[] {1, 2, 3});
    }
    Map<String, String> before = files(run);
    Distribution.Result r = dist.run(tmp, 300, "resume", run.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("no checkpoint in") && r.err().contains("epoch-0002: ")
        && r.err().contains("epoch-0001: ") && r.err().contains("--overwrite"), r.toString());
    assertFalse(r.err().contains("Exception"), r.toString());
    assertEquals(before, files(run));
  }

  /**
   * Resumes {@code run}, expecting it to continue from {@code checkpoint} for the reason given, and checks that it
   * ends as the uninterrupted run did: the same summary and events (wall-clock fields aside), with every event up
   * to the checkpoint kept byte for byte.
   *
   * @return what the resume logged
   */
  private static String resumeAndCompare(Path run, String checkpoint, String reason) throws Exception {
    long kept = RunProgress.parseFrom(Files.readAllBytes(run.resolve("checkpoints/" + checkpoint + "/progress.pb")))
        .getEventsBytes();
    byte[] before = Arrays.copyOf(Files.readAllBytes(run.resolve("events.pb")), Math.toIntExact(kept));
    byte[] config = Files.readAllBytes(run.resolve("config.pbtxt"));
    Distribution.Result r = dist.run(tmp, 300, "resume", run.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("from " + checkpoint + " (") && r.err().contains(reason), r.toString());
    assertEquals(summaryWithoutTime(straight), summaryWithoutTime(run), "ends like the uninterrupted run");
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(run));
    assertArrayEquals(before, Arrays.copyOf(Files.readAllBytes(run.resolve("events.pb")), before.length),
        "the events up to the checkpoint are kept");
    assertArrayEquals(config, Files.readAllBytes(run.resolve("config.pbtxt")));
    return r.err();
  }

  private static String summaryWithoutTime(Path run) throws IOException {
    return Files.readString(run.resolve("final.pbtxt")).replaceAll("(?m)^elapsed_seconds:.*$", "");
  }

  private static List<Event> eventsWithoutTimes(Path run) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(run.resolve("events.pb")))) {
      Event e;
      while ((e = Event.parseDelimitedFrom(in)) != null) {
        Event.Builder b = e.toBuilder().clearUnixMillis();
        if (b.hasEpochEnd()) {
          b.getEpochEndBuilder().clearSeconds().clearSharedSeconds().clearControllerSeconds()
              .clearPreviousCheckpointSeconds();
        }
        events.add(b.build());
      }
    }
    return events;
  }

  /** Every file of a run with its size and contents' hash: what "nothing was written" is checked against. */
  private static Map<String, String> files(Path run) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(run)) {
      for (Path p : s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
        all.put(run.relativize(p).toString(), Files.size(p) + ":" + Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return all;
  }

  private static Path copy(Path from, String name) throws IOException {
    Path to = tmp.resolve(name);
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
        return FileVisitResult.CONTINUE;
      }
    });
    return to;
  }
}
