package dev.enas.runtime.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.enas.proto.Event;
import dev.enas.proto.RunProgress;
import dev.enas.proto.SearchSummary;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.derive.Deriver;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.testplugins.ToyBackendProvider;
import dev.enas.runtime.wiring.RunModule;
import dev.enas.tensorboard.EventFiles;
import dev.enas.tensorboard.EventTranslator;
import dev.enas.tensorboard.TensorBoardLog;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchRunTest {
  private static final String CONFIG = """
      seed: 1234
      space { id: "tiny" }
      controller { id: "seeded" }
      reward { id: "toy-reward" }
      dataset { id: "toy-data" }
      backend { id: "toy-backend" }
      schedule { epochs: 3 child_steps_per_epoch: 7 child_batch_size: 8 controller_updates_per_epoch: 3
                 controller_samples_per_update: 4 eval_batch_size: 8 lr_max: 0.1 lr_min: 0.01 lr_t0: 2 }
      """;

  private final ConfigLoader loader = new ConfigLoader(PluginHost.fromClasspath().registry());
  private final Progress.Factory quiet = (task, total) -> new Progress() {
    public void step(String status) {}

    public void close() {}
  };

  @TempDir
  Path tmp;

  @AfterEach
  void noCrash() {
    ToyBackendProvider.crashAfterSteps = -1;
    ToyBackendProvider.prepareAhead = 0;
    ToyBackendProvider.calls.clear();
  }

  private ResolvedConfig config() {
    return loader.resolve(Path.of("t.pbtxt"), loader.parse("t.pbtxt", CONFIG));
  }

  private SearchSummary search(RunDirectory dir, int stopAfter) throws Exception {
    try (RunModule m = new RunModule(config())) {
      return Guice.createInjector(m).getInstance(SearchRun.class).withProgress(quiet).run(dir, stopAfter);
    }
  }

  private RunDirectory newRun(String name) throws Exception {
    RunDirectory d = new RunDirectory(tmp.resolve(name));
    d.create(config().config(), loader.typeRegistry());
    return d;
  }

  private static List<Event> eventsWithoutTimes(RunDirectory d) throws Exception {
    // wall-clock fields are the only ones allowed to differ
    return EventLog.read(d.path()).stream().map(e -> {
      Event.Builder b = e.toBuilder().clearUnixMillis();
      if (b.hasEpochEnd()) {
        b.getEpochEndBuilder().clearSeconds().clearSharedSeconds().clearControllerSeconds()
            .clearPreviousCheckpointSeconds();
      }
      return b.build();
    }).toList();
  }

  private static SearchSummary withoutTime(SearchSummary s) {
    return s.toBuilder().clearElapsedSeconds().build();
  }

  @Test
  void eachEpochRecordsWhereItsTimeWent() throws Exception {
    RunDirectory d = newRun("split");
    search(d, 0);
    List<Event> ends = EventLog.read(d.path()).stream().filter(Event::hasEpochEnd).toList();
    assertEquals(3, ends.size());
    for (int i = 0; i < ends.size(); i++) {
      dev.enas.proto.EpochEnd e = ends.get(i).getEpochEnd();
      assertTrue(e.getSharedSeconds() > 0 && e.getControllerSeconds() > 0, e.toString());
      assertEquals(e.getSeconds(), e.getSharedSeconds() + e.getControllerSeconds(), 1e-9, "the epoch is its phases");
      // Every epoch is checkpointed here; the first epoch of a run has none before it.
      assertEquals(i == 0, e.getPreviousCheckpointSeconds() == 0, e.toString());
    }
    EpochTimeSplit split = EpochTimeSplit.of(EventLog.read(d.path()));
    assertEquals(3, split.epochs());
    assertTrue(split.toString().startsWith("3 epochs: shared "), split.toString());
  }

  @Test
  void resumedSearchMatchesUninterruptedRun() throws Exception {
    RunDirectory straight = newRun("straight");
    SearchSummary expected = search(straight, 0);
    assertEquals(3, expected.getEpochs());
    assertEquals(21, expected.getChildSteps());

    RunDirectory crashed = newRun("crashed");
    ToyBackendProvider.crashAfterSteps = 10; // in the middle of the second epoch
    assertThrows(IllegalStateException.class, () -> search(crashed, 0));
    ToyBackendProvider.crashAfterSteps = -1;
    SearchSummary resumed = search(crashed, 0);

    assertEquals(withoutTime(expected), withoutTime(resumed));
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(crashed));
    assertEquals(withoutTime(expected), withoutTime(crashed.readSummary()));
  }

  @Test
  void announcingChildrenAheadChangesNothingAndStaysInsideEachSharedPhase() throws Exception {
    RunDirectory plain = newRun("plain");
    SearchSummary expected = search(plain, 0);
    ToyBackendProvider.calls.clear();
    ToyBackendProvider.prepareAhead = 3;
    RunDirectory ahead = newRun("ahead");
    SearchSummary got = search(ahead, 0);
    assertEquals(expected.toBuilder().clearElapsedSeconds().build(), got.toBuilder().clearElapsedSeconds().build());
    assertEquals(eventsWithoutTimes(plain), eventsWithoutTimes(ahead));

    List<String> calls = List.copyOf(ToyBackendProvider.calls);
    // Training: every child but each shared phase's first (7 steps) is announced once, before its step.
    assertAnnouncedAhead(calls, "train ", "prepare ", 3 * 7, 7);
    // Evaluation: every child of a controller update but its first (4 samples) is announced once, before use.
    assertAnnouncedAhead(calls, "evaluate ", "prepare-eval ", 3 * 3 * 4, 4);
  }

  /** Each used child, but the first of every group, announced once, before its use and at most 3 uses ahead. */
  private static void assertAnnouncedAhead(List<String> calls, String use, String announce, int uses, int group) {
    List<String> used = calls.stream().filter(c -> c.startsWith(use)).map(c -> c.substring(use.length())).toList();
    List<String> announced = calls.stream().filter(c -> c.startsWith(announce)).toList();
    assertEquals(uses, used.size());
    assertEquals(uses - uses / group, announced.size());
    for (int i = 0; i < used.size(); i++) {
      String child = used.get(i);
      int usedAt = calls.indexOf(use + child);
      int announcedAt = calls.indexOf(announce + child);
      if (i % group == 0) {
        assertEquals(-1, announcedAt, "the first child of a group is used at once");
        continue;
      }
      assertTrue(announcedAt >= 0 && announcedAt < usedAt, use + "child " + i + " announced before its use");
      long between = calls.subList(announcedAt, usedAt).stream().filter(c -> c.startsWith(use)).count();
      assertTrue(between <= 3, use + "child " + i + " announced " + between + " uses ahead");
    }
  }

  @Test
  void stoppingAfterAnEpochAndResumingGivesTheSameEvents() throws Exception {
    RunDirectory straight = newRun("straight");
    search(straight, 0);
    RunDirectory stopped = newRun("stopped");
    SearchSummary partial = search(stopped, 1);
    assertEquals(1, partial.getEpochs());
    assertFalse(Files.exists(stopped.resolve(RunDirectory.SUMMARY)), "no final summary before the last epoch");
    search(stopped, 0);
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(stopped));
  }

  @Test
  void corruptCheckpointIsRefusedAndLeftAlone() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 1);
    Path weights = run.resolve("checkpoints/epoch-0001/weights.pb");
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.seek(3);
      f.write(0x5A ^ f.read());
    }
    byte[] before = Files.readAllBytes(weights);
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(run, 0));
    assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(weights)), "the checkpoint must not be overwritten");
  }

  @Test
  void truncatedCheckpointFileIsRefused() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 1);
    Path weights = run.resolve("checkpoints/epoch-0001/weights.pb");
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      f.setLength(f.length() - 1);
    }
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(run, 0));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  private SearchSummary search(RunDirectory dir, int stopAfter, String from) throws Exception {
    try (RunModule m = new RunModule(config())) {
      return Guice.createInjector(m).getInstance(SearchRun.class).withProgress(quiet).run(dir, stopAfter, from);
    }
  }

  /** Every file under the run directory with its sha256: what "nothing was written" is checked against. */
  private static Map<String, String> files(RunDirectory d) throws Exception {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(d.path())) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        all.put(d.path().relativize(p).toString(), AtomicFiles.sha256(p));
      }
    }
    return all;
  }

  /** The first {@code n} bytes of the event log. */
  private static byte[] eventBytes(RunDirectory d, long n) throws Exception {
    return Arrays.copyOf(Files.readAllBytes(d.resolve(EventLog.FILE)), Math.toIntExact(n));
  }

  private static long eventsBytesAt(RunDirectory d, String checkpoint) throws Exception {
    return RunProgress.parseFrom(Files.readAllBytes(d.resolve("checkpoints/" + checkpoint + "/progress.pb")))
        .getEventsBytes();
  }

  private static void flipAByte(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(3);
      int b = f.read();
      f.seek(3);
      f.write(b ^ 0x5A);
    }
  }

  @Test
  void aLostOrGarbageLatestResumesFromTheNewestCheckpoint() throws Exception {
    RunDirectory straight = newRun("straight");
    SearchSummary expected = search(straight, 0);
    for (String damage : new String[] {"deleted", "garbage"}) {
      RunDirectory run = newRun(damage);
      search(run, 2);
      byte[] before = Files.readAllBytes(run.resolve(EventLog.FILE));
      Path latest = run.resolve("checkpoints/LATEST");
      if (damage.equals("deleted")) {
        Files.delete(latest);
      } else {
        Files.write(latest, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
      }
      SearchSummary got = search(run, 0);
      assertEquals(withoutTime(expected), withoutTime(got), damage);
      assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(run), damage + ": resumed after epoch 2, not 0");
      assertArrayEquals(before, eventBytes(run, before.length), damage + ": the events already written are kept");
      assertEquals("epoch-0003", Files.readString(latest).trim());
    }
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToThePreviousAndIsKeptAside() throws Exception {
    RunDirectory straight = newRun("straight");
    SearchSummary expected = search(straight, 0);
    RunDirectory run = newRun("run");
    search(run, 2);
    flipAByte(run.resolve("checkpoints/epoch-0002/weights.pb"));
    byte[] corrupt = Files.readAllBytes(run.resolve("checkpoints/epoch-0002/weights.pb"));
    long atEpoch1 = eventsBytesAt(run, "epoch-0001");
    byte[] before = eventBytes(run, atEpoch1);

    SearchSummary got = search(run, 0);
    assertEquals(withoutTime(expected), withoutTime(got));
    // Events up to the checkpoint resumed from are kept byte for byte; the second epoch's are done again.
    assertArrayEquals(before, eventBytes(run, atEpoch1));
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(run));
    assertArrayEquals(corrupt, Files.readAllBytes(run.resolve("checkpoints/corrupt-epoch-0002/weights.pb")));
    assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-0003")));
  }

  /** tag -> step -> value of a run's search event files in tb/; a step written twice for one tag fails. */
  private static Map<String, Map<Long, Float>> tensorBoardScalars(RunDirectory d) throws Exception {
    Map<String, Map<Long, Float>> tags = new TreeMap<>();
    List<Path> files = EventFiles.list(EventLog.tensorBoardDir(d.path()), TensorBoardLog.SEARCH);
    assertEquals(1, files.size(), "one search event file: " + files);
    for (dev.enas.proto.tensorboard.Event e : EventFiles.read(files.get(0))) {
      for (dev.enas.proto.tensorboard.Summary.Value v : e.getSummary().getValueList()) {
        if (v.hasSimpleValue()) {
          Float old = tags.computeIfAbsent(v.getTag(), t -> new TreeMap<>()).put(e.getStep(), v.getSimpleValue());
          assertEquals(null, old, v.getTag() + " has step " + e.getStep() + " twice");
        }
      }
    }
    return tags;
  }

  @Test
  void aResumedSearchShowsEachStepOnceInTensorBoard() throws Exception {
    RunDirectory straight = newRun("straight");
    search(straight, 0);
    RunDirectory run = newRun("run");
    search(run, 2);
    // the second epoch's checkpoint is lost: the resume cuts events.pb back to the first and does epoch 2 again
    flipAByte(run.resolve("checkpoints/epoch-0002/weights.pb"));
    search(run, 0);

    Map<String, Map<Long, Float>> expected = tensorBoardScalars(straight);
    Map<String, Map<Long, Float>> got = tensorBoardScalars(run);
    assertEquals(expected.keySet(), got.keySet());
    assertEquals(21, got.get(EventTranslator.CHILD_LOSS).size(), "3 epochs x 7 child steps");
    assertEquals(9, got.get(EventTranslator.CONTROLLER_MEAN_REWARD).size(), "3 epochs x 3 updates");
    for (String tag : expected.keySet()) {
      assertEquals(expected.get(tag).keySet(), got.get(tag).keySet(), tag);
      if (!tag.startsWith("epoch/")) { // the epoch tags hold times
        for (Map.Entry<Long, Float> e : expected.get(tag).entrySet()) {
          assertEquals(e.getValue(), got.get(tag).get(e.getKey()), 1e-6, tag + " at step " + e.getKey());
        }
      }
    }
    // and they are events.pb's values
    List<Event> steps = EventLog.read(run.path()).stream().filter(Event::hasChildStep).toList();
    assertEquals(steps.get(20).getChildStep().getLoss(), got.get(EventTranslator.CHILD_LOSS).get(20L), 1e-6);
  }

  @Test
  void aFinishedRunIsLeftAsItIsEvenWithoutLatestOrCheckpoints() throws Exception {
    RunDirectory run = newRun("run");
    SearchSummary expected = search(run, 0);
    Files.delete(run.resolve("checkpoints/LATEST"));
    Map<String, String> before = files(run);
    assertEquals(expected, search(run, 0));
    assertEquals(before, files(run), "resuming a finished run writes nothing");

    try (Stream<Path> s = Files.walk(run.resolve("checkpoints"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    before = files(run);
    assertEquals(expected, search(run, 0));
    assertEquals(before, files(run));
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(run, 0, "1"));
    assertTrue(e.getMessage().contains("has finished"), e.getMessage());
  }

  @Test
  void aRunWhoseCheckpointsWereRemovedIsRefusedNotStartedAgain() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 2);
    try (Stream<Path> s = Files.walk(run.resolve("checkpoints"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Map<String, String> before = files(run);
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(run, 0));
    assertTrue(e.getMessage().contains("has no checkpoint") && e.getMessage().contains("records epoch 2")
        && e.getMessage().contains("--overwrite"), e.getMessage());
    assertEquals(before, files(run), "nothing is written into a run that is refused");
  }

  @Test
  void aRunWithOnlyCorruptCheckpointsIsRefusedAndLeftAlone() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 2);
    flipAByte(run.resolve("checkpoints/epoch-0001/weights.pb"));
    flipAByte(run.resolve("checkpoints/epoch-0002/controller.bin"));
    Map<String, String> before = files(run);
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(run, 0));
    assertTrue(e.getMessage().contains("epoch-0001/weights.pb fails its sha256")
        && e.getMessage().contains("epoch-0002/controller.bin fails its sha256"), e.getMessage());
    assertEquals(before, files(run));
  }

  @Test
  void aSearchKilledInItsFirstEpochStartsAgainFromTheStart() throws Exception {
    RunDirectory straight = newRun("straight");
    SearchSummary expected = search(straight, 0);
    RunDirectory crashed = newRun("crashed");
    ToyBackendProvider.crashAfterSteps = 3;
    assertThrows(IllegalStateException.class, () -> search(crashed, 0));
    ToyBackendProvider.crashAfterSteps = -1;
    assertFalse(Files.exists(crashed.resolve("checkpoints/LATEST")));
    assertEquals(withoutTime(expected), withoutTime(search(crashed, 0)));
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(crashed));
  }

  @Test
  void fromAnOlderCheckpointSetsTheNewerAsideAndEndsTheSame() throws Exception {
    RunDirectory straight = newRun("straight");
    SearchSummary expected = search(straight, 0);
    RunDirectory run = newRun("run");
    search(run, 2);
    assertEquals(withoutTime(expected), withoutTime(search(run, 0, "epoch-0001")));
    assertEquals(eventsWithoutTimes(straight), eventsWithoutTimes(run));
    assertTrue(Files.isDirectory(run.resolve("checkpoints/superseded-epoch-0002")));
    CheckpointException e = assertThrows(CheckpointException.class, () -> search(newRun("other"), 0, "4"));
    assertTrue(e.getMessage().contains("no epoch-0004"), e.getMessage());
  }

  @Test
  void aRunDirectoryIsNotReusedForANewSearch() throws Exception {
    RunDirectory run = newRun("run");
    assertThrows(dev.enas.runtime.config.ConfigException.class, () -> run.create(config().config(), loader.typeRegistry()));
  }

  @Test
  void deriveAnnouncesItsCandidatesAndGivesTheSameResult() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 0);
    Deriver.Result plain;
    try (RunModule m = new RunModule(config())) {
      plain = Guice.createInjector(m).getInstance(Deriver.class).derive(run, 5, 2, loader.typeRegistry());
    }
    ToyBackendProvider.calls.clear();
    ToyBackendProvider.prepareAhead = 2;
    Deriver.Result announced;
    try (RunModule m = new RunModule(config())) {
      announced = Guice.createInjector(m).getInstance(Deriver.class).derive(run, 5, 2, loader.typeRegistry());
    }
    assertEquals(plain.candidates(), announced.candidates());
    List<String> calls = List.copyOf(ToyBackendProvider.calls);
    // Candidates 1..4 announced once each, before their first evaluation, at most 2 candidates ahead.
    assertEquals(4, calls.stream().filter(c -> c.startsWith("prepare-eval ")).count());
    List<String> evaluated = calls.stream().filter(c -> c.startsWith("evaluate ")).distinct().toList();
    assertEquals(5, evaluated.size());
    for (int i = 1; i < evaluated.size(); i++) {
      String child = evaluated.get(i).substring("evaluate ".length());
      int announcedAt = calls.indexOf("prepare-eval " + child);
      assertTrue(announcedAt >= 0 && announcedAt < calls.indexOf(evaluated.get(i)), "candidate " + i);
      long candidatesBetween = calls.subList(announcedAt, calls.indexOf(evaluated.get(i))).stream()
          .filter(c -> c.startsWith("evaluate ")).distinct().count();
      assertTrue(candidatesBetween <= 2, "candidate " + i + " announced " + candidatesBetween + " candidates early");
    }
  }

  @Test
  void deriveIsDeterministicAndWritesTheArchitecture() throws Exception {
    RunDirectory run = newRun("run");
    search(run, 0);
    Deriver.Result a;
    Deriver.Result b;
    try (RunModule m = new RunModule(config())) {
      a = Guice.createInjector(m).getInstance(Deriver.class).derive(run, 5, 1, loader.typeRegistry());
    }
    try (RunModule m = new RunModule(config())) {
      b = Guice.createInjector(m).getInstance(Deriver.class).derive(run, 5, 1, loader.typeRegistry());
    }
    assertEquals(a.best().architecture(), b.best().architecture());
    assertEquals(5, a.candidates().size());
    assertEquals(a.best().architecture().tokenString(), Files.readString(run.resolve("derived/arch.txt")).trim());
    String proto = Files.readString(run.resolve("derived/arch.pbtxt"));
    assertTrue(proto.contains("dataset_digest: \"toy-1234\"") || proto.contains("dataset_digest"), proto);
    assertTrue(proto.contains("plugin_versions"), proto);
    assertTrue(Files.readString(run.resolve("derived/arch.dot")).startsWith("digraph"));
  }

  @Test
  void learningRateFollowsCosineWithWarmRestarts() {
    LearningRateSchedule lr = new LearningRateSchedule(0.05, 0.001, 10, 2);
    assertEquals(0.05, lr.at(0), 1e-12);
    assertEquals(0.001 + 0.5 * 0.049, lr.at(5), 1e-12);
    assertEquals(0.05, lr.at(10), 1e-12, "restart after the first 10 epochs");
    assertEquals(0.05, lr.at(30), 1e-12, "the second cycle lasts 20 epochs");
    assertEquals(0.001 + 0.5 * 0.049, lr.at(20), 1e-12);
  }
}
