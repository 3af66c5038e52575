package dev.enas.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.RunConfig;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run's checkpoint is picked when LATEST or the checkpoints themselves are damaged. */
class CheckpointStoreTest {
  @TempDir
  Path run;

  private Path write(CheckpointStore store, int epoch) throws Exception {
    Map<String, Map.Entry<String, CheckpointStore.Part>> parts = new LinkedHashMap<>();
    parts.put("weights.pb", Map.entry("shared-weights", f -> Files.write(f, ("weights of epoch " + epoch).getBytes())));
    parts.put("progress.pb", Map.entry("progress", f -> Files.write(f, new byte[] {(byte) epoch})));
    return store.write(epoch, epoch * 10L, "tiny", "toy", RunConfig.getDefaultInstance(), parts);
  }

  /** Epochs 1..n written with keep=2: epoch-(n-1) and epoch-n are left. */
  private CheckpointStore withEpochs(int n) throws Exception {
    CheckpointStore store = new CheckpointStore(run, 2);
    for (int e = 1; e <= n; e++) {
      write(store, e);
    }
    return store;
  }

  private Path latest() {
    return run.resolve("checkpoints/LATEST");
  }

  private static void flipAByte(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(2);
      int b = f.read();
      f.seek(2);
      f.write(b ^ 0x5A);
    }
  }

  private static List<String> names(List<Path> dirs) {
    return dirs.stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void keepsTheNewestTwoAndLatestNamesTheNewest() throws Exception {
    CheckpointStore store = withEpochs(3);
    assertEquals(List.of("epoch-0002", "epoch-0003"), names(store.checkpoints()));
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertEquals("named by LATEST", s.reason());
    assertTrue(s.rejected().isEmpty());
  }

  @Test
  void anEmptyRunHasNoCheckpointAndAnAbandonedTemporaryOneIsIgnored() throws Exception {
    CheckpointStore store = new CheckpointStore(run, 2);
    assertEquals(Optional.empty(), store.select(""));
    Files.createDirectories(run.resolve("checkpoints/.tmp-epoch-0001"));
    assertEquals(Optional.empty(), store.select(""), "a checkpoint killed while being written never existed");
    assertTrue(store.isEmpty());
  }

  @Test
  void aMissingLatestIsFoundByScanning() throws Exception {
    CheckpointStore store = withEpochs(3);
    Files.delete(latest());
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertTrue(s.reason().contains("LATEST is missing") && s.reason().contains("newest checkpoint that verifies"),
        s.reason());
  }

  @Test
  void aGarbageLatestIsFoundByScanningNotAnEncodingError() throws Exception {
    CheckpointStore store = withEpochs(3);
    Files.write(latest(), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertTrue(s.reason().contains("unreadable") && s.reason().contains("3 bytes that are not text"), s.reason());

    Files.writeString(latest(), "epoch-12; rm -rf /\u0007" + "x".repeat(100));
    s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertTrue(s.reason().contains("'epoch-12; rm -rf /?xxx") && s.reason().length() < 250, s.reason());
  }

  @Test
  void latestNamingACheckpointThatIsGoneIsFoundByScanning() throws Exception {
    CheckpointStore store = withEpochs(3);
    Files.writeString(latest(), "epoch-0007\n");
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertTrue(s.reason().contains("epoch-0007, which does not exist"), s.reason());
  }

  @Test
  void aNewerCompleteCheckpointWinsOverAStaleLatest() throws Exception {
    CheckpointStore store = withEpochs(3);
    // killed after epoch-0003 was renamed into place and before LATEST was rewritten
    Files.writeString(latest(), "epoch-0002\n");
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0003", s.name());
    assertTrue(s.reason().contains("newer and verifies"), s.reason());
  }

  @Test
  void aCorruptNewestFallsBackToThePreviousWithAWarningNamingTheFile() throws Exception {
    CheckpointStore store = withEpochs(3);
    flipAByte(run.resolve("checkpoints/epoch-0003/weights.pb"));
    CheckpointStore.Selection s = store.select("").orElseThrow();
    assertEquals("epoch-0002", s.name());
    assertTrue(s.reason().contains("LATEST names epoch-0003, which fails its checks; fell back to epoch-0002"),
        s.reason());
    assertEquals(1, s.rejected().size());
    assertTrue(s.rejected().get(0).contains("epoch-0003/weights.pb fails its sha256 check"), s.rejected().get(0));

    // A missing manifest or a truncated file is caught the same way.
    Files.delete(run.resolve("checkpoints/epoch-0003/manifest.pb"));
    s = store.select("").orElseThrow();
    assertEquals("epoch-0002", s.name());
    assertTrue(s.rejected().get(0).contains("has no manifest.pb"), s.rejected().get(0));
  }

  @Test
  void continuingFromAnOlderCheckpointSetsNewerOnesAsideAndNeverOverwritesThem() throws Exception {
    CheckpointStore store = withEpochs(3);
    Path bad = run.resolve("checkpoints/epoch-0003/weights.pb");
    flipAByte(bad);
    byte[] badBytes = Files.readAllBytes(bad);
    CheckpointStore.Selection s = store.select("").orElseThrow();
    List<Path> moved = store.setAsideNewerThan(s.checkpoint());
    assertEquals(List.of("corrupt-epoch-0003"), names(moved));
    assertEquals("epoch-0002", Files.readString(latest()).trim());
    assertEquals(List.of("epoch-0002"), names(store.checkpoints()));

    write(store, 3);
    assertEquals(List.of("epoch-0002", "epoch-0003"), names(store.checkpoints()));
    assertArrayEquals(badBytes, Files.readAllBytes(run.resolve("checkpoints/corrupt-epoch-0003/weights.pb")),
        "the corrupt checkpoint is kept as it was, for inspection");
    write(store, 4);
    assertTrue(Files.isDirectory(run.resolve("checkpoints/corrupt-epoch-0003")), "pruning leaves it alone");
    assertEquals("named by LATEST", store.select("").orElseThrow().reason());

    // A sound newer checkpoint, when the run continues from an older one (--from), is set aside as superseded.
    CheckpointStore.Selection three = store.named("3");
    assertEquals(List.of("superseded-epoch-0004"), names(store.setAsideNewerThan(three.checkpoint())));
    write(store, 4);
    flipAByte(run.resolve("checkpoints/epoch-0004/weights.pb"));
    assertEquals(List.of("corrupt-epoch-0004"), names(store.setAsideNewerThan(store.named("epoch-0003").checkpoint())));
    assertTrue(Files.isDirectory(run.resolve("checkpoints/superseded-epoch-0004")));
  }

  @Test
  void writingOverAnExistingCheckpointSetsTheOldOneAside() throws Exception {
    CheckpointStore store = withEpochs(2);
    write(store, 2);
    assertTrue(Files.isDirectory(run.resolve("checkpoints/superseded-epoch-0002")));
    assertEquals(List.of("epoch-0001", "epoch-0002"), names(store.checkpoints()));
  }

  @Test
  void noCheckpointThatVerifiesIsRefusedWithTheListOfWhatWasFound() throws Exception {
    CheckpointStore store = withEpochs(3);
    flipAByte(run.resolve("checkpoints/epoch-0003/weights.pb"));
    Files.write(run.resolve("checkpoints/epoch-0002/progress.pb"), new byte[0]);
    Files.writeString(latest(), "garbage");
    CheckpointException e = assertThrows(CheckpointException.class, () -> store.select("Pass --restart."));
    String m = e.getMessage();
    assertTrue(m.contains("no checkpoint in " + run.resolve("checkpoints") + " verifies"), m);
    assertTrue(m.contains("\n  epoch-0003: ") && m.contains("epoch-0003/weights.pb fails its sha256 check"), m);
    assertTrue(m.contains("\n  epoch-0002: ") && m.contains("epoch-0002/progress.pb has 0 bytes"), m);
    assertTrue(m.contains("\n  LATEST: it holds 'garbage', not a checkpoint name"), m);
    assertTrue(m.endsWith("\nPass --restart."), m);
  }

  @Test
  void withKeepOneACorruptCheckpointHasNothingToFallBackTo() throws Exception {
    CheckpointStore store = new CheckpointStore(run, 1);
    write(store, 1);
    write(store, 2);
    assertEquals(List.of("epoch-0002"), names(store.checkpoints()));
    flipAByte(run.resolve("checkpoints/epoch-0002/weights.pb"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> store.select(""));
    assertTrue(e.getMessage().contains("epoch-0002: ") && e.getMessage().contains("LATEST: names epoch-0002"),
        e.getMessage());
  }

  @Test
  void latestWithoutAnyCheckpointIsRefusedNotTakenForANewRun() throws Exception {
    CheckpointStore store = withEpochs(2);
    for (Path p : store.checkpoints()) {
      CheckpointStore.deleteTree(p);
    }
    CheckpointException e = assertThrows(CheckpointException.class, () -> store.select("Do X."));
    assertTrue(e.getMessage().contains("holds no checkpoint") && e.getMessage().contains(": LATEST.")
        && e.getMessage().endsWith("; Do X."), e.getMessage());
  }

  @Test
  void fromNamesACheckpointByNameNumberOrPath() throws Exception {
    CheckpointStore store = withEpochs(3);
    assertEquals("epoch-0002", store.named("epoch-0002").name());
    assertEquals("epoch-0002", store.named("2").name());
    assertEquals("epoch-0003", store.named(run.resolve("checkpoints/epoch-0003").toString()).name());
    assertEquals("chosen with --from", store.named("3").reason());

    CheckpointException e = assertThrows(CheckpointException.class, () -> store.named("1"));
    assertTrue(e.getMessage().contains("no epoch-0001") && e.getMessage().contains("epoch-0002, epoch-0003"),
        e.getMessage());
    Path other = Files.createDirectories(run.resolve("elsewhere/epoch-0003"));
    e = assertThrows(CheckpointException.class, () -> store.named(other.toString()));
    assertTrue(e.getMessage().contains("not a checkpoint of this run"), e.getMessage());
    flipAByte(run.resolve("checkpoints/epoch-0002/weights.pb"));
    e = assertThrows(CheckpointException.class, () -> store.named("2"));
    assertTrue(e.getMessage().contains("sha256"), e.getMessage());
  }

  @Test
  void checkpointsSortByEpochNumberNotByName() throws Exception {
    CheckpointStore store = new CheckpointStore(run, 2);
    write(store, 9999);
    write(store, 10000);
    write(store, 10001);
    assertEquals(List.of("epoch-10000", "epoch-10001"), names(store.checkpoints()));
    Files.delete(latest());
    assertEquals("epoch-10001", store.select("").orElseThrow().name());
    assertFalse(Files.readString(run.resolve("checkpoints/epoch-10001/weights.pb"), StandardCharsets.UTF_8).isEmpty());
  }
}
