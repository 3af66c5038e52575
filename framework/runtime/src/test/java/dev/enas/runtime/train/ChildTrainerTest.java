package dev.enas.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.RunConfig;
import dev.enas.proto.Schedule;
import dev.enas.proto.TrainSchedule;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import dev.enas.runtime.testplugins.ToyBackendProvider;
import dev.enas.runtime.testplugins.ToyDatasetProvider;
import dev.enas.tensorboard.EventFiles;
import dev.enas.tensorboard.TensorBoardLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildTrainerTest {
  @TempDir
  Path tmp;

  /** The toy backend, recording the progress each training step is given. */
  private static final class RecordingBackend implements Backend {
    final Backend toy = new ToyBackendProvider().create(Empty.getDefaultInstance(), 1);
    final List<Double> progress = new ArrayList<>();
    final List<Double> rates = new ArrayList<>();
    final List<Integer> trainSizes = new ArrayList<>();
    final List<Integer> evalSizes = new ArrayList<>();

    public String device() {
      return toy.device();
    }

    public Set<Class<? extends Op>> supportedOps() {
      return toy.supportedOps();
    }

    public TrainResult train(Graph child, Batch batch, double learningRate) {
      throw new AssertionError("final training must say how far it has come");
    }

    public TrainResult train(Graph child, Batch batch, double learningRate, double p) {
      progress.add(p);
      rates.add(learningRate);
      trainSizes.add(batch.size());
      return toy.train(child, batch, learningRate);
    }

    public Evaluation evaluate(Graph child, Batch batch) {
      evalSizes.add(batch.size());
      return toy.evaluate(child, batch);
    }

    public void save(Path file, String spaceId) throws IOException {
      toy.save(file, spaceId);
    }

    public void load(Path file, String spaceId) throws IOException {
      toy.load(file, spaceId);
    }

    public void close() {
      toy.close();
    }
  }

  @Test
  void eachStepIsGivenTheFractionOfTrainingDone() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    RecordingBackend backend = new RecordingBackend();
    trainer(space, backend).train(space.parse("0 1 0"), schedule(2), tmp);
    double[] got = backend.progress.stream().mapToDouble(Double::doubleValue).toArray();
    assertArrayEquals(new double[] {0, 1 / 8.0, 2 / 8.0, 3 / 8.0, 4 / 8.0, 5 / 8.0, 6 / 8.0, 7 / 8.0}, got, 1e-12);
  }

  /**
   * A dataset whose batches vary in length (enas_lm's random BPTT) scales each step's rate: here every batch by 0.5,
   * so every step trains at half the schedule's rate.
   */
  @Test
  void eachStepsRateIsScaledAsTheDatasetSays() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    RecordingBackend plain = new RecordingBackend();
    trainer(space, plain).train(space.parse("0 1 0"), schedule(2), tmp.resolve("plain"));
    Dataset toy = new ToyDatasetProvider().create(Empty.getDefaultInstance(), 3);
    Dataset halved = (Dataset) java.lang.reflect.Proxy.newProxyInstance(Dataset.class.getClassLoader(),
        new Class<?>[] {Dataset.class}, (proxy, method, args) -> method.getName().equals("learningRateScale") ? 0.5
            : method.invoke(toy, args));
    RecordingBackend scaled = new RecordingBackend();
    new ChildTrainer(space, halved, scaled, "tiny", "toy", RunConfig.getDefaultInstance()).withProgress(QUIET)
        .train(space.parse("0 1 0"), schedule(2), tmp.resolve("scaled"));
    assertEquals(8, scaled.rates.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(plain.rates.get(i) * 0.5, scaled.rates.get(i), 1e-12, "step " + i);
    }
  }

  @Test
  void validationAndTestReadBatchesOfEvalBatchSizeWhenItIsSet() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    RecordingBackend plain = new RecordingBackend();
    trainer(space, plain).train(space.parse("0 1 0"), schedule(1), tmp.resolve("plain"));
    assertTrue(plain.evalSizes.stream().allMatch(n -> n == 8), "eval batches " + plain.evalSizes);
    RecordingBackend one = new RecordingBackend();
    TrainSchedule t = schedule(1).toBuilder().setEvalBatchSize(1).build();
    trainer(space, one).train(space.parse("0 1 0"), t, tmp.resolve("one"));
    assertTrue(one.trainSizes.stream().allMatch(n -> n == 8), "train batches " + one.trainSizes);
    assertTrue(!one.evalSizes.isEmpty() && one.evalSizes.stream().allMatch(n -> n == 1), "eval " + one.evalSizes);
  }

  private static final Progress.Factory QUIET = (task, total) -> new Progress() {
    public void step(String status) {}

    public void close() {}
  };

  private static ChildTrainer trainer(SearchSpace space, Backend backend) {
    return new ChildTrainer(space, new ToyDatasetProvider().create(Empty.getDefaultInstance(), 3), backend, "tiny",
        "toy", RunConfig.getDefaultInstance()).withProgress(QUIET);
  }

  private static TrainSchedule schedule(int epochs) {
    return ChildTrainer.defaults(TrainSchedule.newBuilder().setEpochs(epochs).setBatchSize(8).setStepsPerEpoch(4)
        .setTestBatches(1).build());
  }

  @Test
  void aStoppedTrainingResumesToTheResultOfOneUninterruptedRun() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    RecordingBackend whole = new RecordingBackend();
    TrainSummary want = trainer(space, whole).train(space.parse("0 1 0"), schedule(3), tmp.resolve("whole"));

    Path out = tmp.resolve("stopped");
    RecordingBackend first = new RecordingBackend();
    assertTrue(trainer(space, first).train(space.parse("0 1 0"), schedule(3), out, 1).isEmpty());
    assertTrue(Files.exists(out.resolve("checkpoints/epoch-0001/train-progress.pb")));
    assertFalse(Files.exists(out.resolve("model")), "no model before the end");
    // A new process: a fresh backend, weights and position from the checkpoint.
    RecordingBackend second = new RecordingBackend();
    TrainSummary got = trainer(space, second).train(space.parse("0 1 0"), schedule(3), out);
    assertEquals(want.toBuilder().clearSeconds().build(), got.toBuilder().clearSeconds().build());
    List<Double> steps = new ArrayList<>(first.progress);
    steps.addAll(second.progress);
    assertEquals(whole.progress, steps, "the resumed run takes exactly the remaining steps");
    assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/model/weights.pb")),
        Files.readAllBytes(out.resolve("model/weights.pb")));
  }

  @Test
  void aCheckpointOfAnotherArchitectureOrScheduleIsRefusedWithWhatToDo() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3), tmp, 1);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> trainer(space, new RecordingBackend()).train(space.parse("1 1 0"), schedule(3), tmp));
    assertTrue(e.getMessage().contains("another architecture (0 1 0)") && e.getMessage().contains("--out"),
        e.getMessage());
    e = assertThrows(CheckpointException.class,
        () -> trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(4), tmp));
    assertTrue(e.getMessage().contains("another schedule") && e.getMessage().contains("epochs: 3"), e.getMessage());
    // A corrupt checkpoint is refused, never half-used.
    Files.write(tmp.resolve("checkpoints/epoch-0001/weights.pb"), new byte[] {1, 2, 3});
    e = assertThrows(CheckpointException.class,
        () -> trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3), tmp));
    assertTrue(e.getMessage().contains("weights.pb"), e.getMessage());
  }

  private static ChildTrainer trainer(SearchSpace space, Backend backend, RunConfig config) {
    return new ChildTrainer(space, new ToyDatasetProvider().create(Empty.getDefaultInstance(), 3), backend, "tiny",
        "toy", config).withProgress(QUIET);
  }

  /** tag -> step -> value of a training's event files in tb/; a step written twice for one tag fails. */
  private static Map<String, Map<Long, Float>> tensorBoardScalars(Path out) throws IOException {
    Map<String, Map<Long, Float>> tags = new TreeMap<>();
    for (Path f : EventFiles.list(out.resolve(TensorBoardLog.DIR), TensorBoardLog.TRAIN)) {
      for (dev.enas.proto.tensorboard.Event e : EventFiles.read(f)) {
        for (dev.enas.proto.tensorboard.Summary.Value v : e.getSummary().getValueList()) {
          Float old = tags.computeIfAbsent(v.getTag(), t -> new TreeMap<>()).put(e.getStep(), v.getSimpleValue());
          assertEquals(null, old, v.getTag() + " has step " + e.getStep() + " twice");
        }
      }
    }
    return tags;
  }

  @Test
  void aResumedTrainingShowsEachEpochOnceInTensorBoard() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    TrainSummary want = trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3),
        tmp.resolve("whole"));
    Path out = tmp.resolve("resumed");
    assertTrue(trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3), out, 2).isEmpty());
    // the second epoch's checkpoint is lost after its epoch was logged: the resume from epoch 1 logs epoch 2 again
    flipAByte(out.resolve("checkpoints/epoch-0002/weights.pb"));
    trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3), out);

    Map<String, Map<Long, Float>> expected = tensorBoardScalars(tmp.resolve("whole"));
    Map<String, Map<Long, Float>> got = tensorBoardScalars(out);
    assertEquals(Set.of(ChildTrainer.TB_ARCH, ChildTrainer.TB_TRAIN_LOSS, ChildTrainer.TB_LEARNING_RATE,
        ChildTrainer.TB_EXAMPLES_PER_SECOND, ChildTrainer.TB_VALID_LOSS, ChildTrainer.TB_VALID_ACCURACY,
        ChildTrainer.TB_TEST_LOSS, ChildTrainer.TB_TEST_ACCURACY), got.keySet());
    assertEquals(List.of(1L, 2L, 3L), List.copyOf(got.get(ChildTrainer.TB_TRAIN_LOSS).keySet()));
    for (String tag : List.of(ChildTrainer.TB_TRAIN_LOSS, ChildTrainer.TB_VALID_ACCURACY,
        ChildTrainer.TB_LEARNING_RATE)) {
      for (long epoch = 1; epoch <= 3; epoch++) {
        assertEquals(expected.get(tag).get(epoch), got.get(tag).get(epoch), 1e-6, tag + " at epoch " + epoch);
      }
    }
    assertEquals(want.getFinalTrainLoss(), got.get(ChildTrainer.TB_TRAIN_LOSS).get(3L), 1e-6);
    assertEquals(want.getValidAccuracy(), got.get(ChildTrainer.TB_VALID_ACCURACY).get(3L), 1e-6);
    assertEquals(want.getTestAccuracy(), got.get(ChildTrainer.TB_TEST_ACCURACY).get(3L), 1e-6);
    assertEquals(Set.of(0L), got.get(ChildTrainer.TB_ARCH).keySet());
  }

  private static void flipAByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x5A;
    Files.write(file, b);
  }

  @Test
  void aLostLatestOrACorruptNewestCheckpointStillResumesToTheUninterruptedResult() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    TrainSummary want = trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(3),
        tmp.resolve("whole"));
    for (String damage : new String[] {"no-latest", "corrupt-newest"}) {
      Path out = tmp.resolve(damage);
      RecordingBackend first = new RecordingBackend();
      assertTrue(trainer(space, first).train(space.parse("0 1 0"), schedule(3), out, 2).isEmpty());
      if (damage.equals("no-latest")) {
        Files.delete(out.resolve("checkpoints/LATEST"));
      } else {
        flipAByte(out.resolve("checkpoints/epoch-0002/weights.pb"));
      }
      RecordingBackend second = new RecordingBackend();
      TrainSummary got = trainer(space, second).train(space.parse("0 1 0"), schedule(3), out);
      assertEquals(want.toBuilder().clearSeconds().build(), got.toBuilder().clearSeconds().build(), damage);
      assertArrayEquals(Files.readAllBytes(tmp.resolve("whole/model/weights.pb")),
          Files.readAllBytes(out.resolve("model/weights.pb")), damage);
      // From epoch 2 the third epoch's 4 steps remain; from epoch 1 (the fallback), 8.
      assertEquals(damage.equals("no-latest") ? 4 : 8, second.progress.size(), damage);
    }
    assertTrue(Files.isDirectory(tmp.resolve("corrupt-newest/checkpoints/corrupt-epoch-0002")),
        "the corrupt checkpoint is set aside, not overwritten");
  }

  @Test
  void aFinishedTrainingWhoseCheckpointsAreGoneIsNotTrainedAgainOverItsModel() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    Path out = tmp.resolve("out");
    trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(2), out);
    byte[] model = Files.readAllBytes(out.resolve("model/weights.pb"));
    // Rerun with its checkpoints in place: the same model again, no epoch trained.
    RecordingBackend again = new RecordingBackend();
    trainer(space, again).train(space.parse("0 1 0"), schedule(2), out);
    assertTrue(again.progress.isEmpty());
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model/weights.pb")));

    new dev.enas.runtime.checkpoint.CheckpointStore(out, 1).clear();
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(2), out));
    assertTrue(e.getMessage().contains("finished training") && e.getMessage().contains("--restart"), e.getMessage());
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model/weights.pb")));

    ChildTrainer.discard(out);
    assertFalse(Files.exists(out.resolve("model")));
    trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(2), out);
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model/weights.pb")));
  }

  @Test
  void aCheckpointOfAnotherSpaceDatasetOrSeedIsRefused() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    RunConfig a = RunConfig.newBuilder().setSeed(1).setSchedule(Schedule.newBuilder().setEpochs(7)).build();
    trainer(space, new RecordingBackend(), a).train(space.parse("0 1 0"), schedule(3), tmp, 1);
    // The search schedule is not the training's business.
    assertTrue(trainer(space, new RecordingBackend(), a.toBuilder().clearSchedule().build())
        .train(space.parse("0 1 0"), schedule(3), tmp, 1).isEmpty());
    CheckpointException e = assertThrows(CheckpointException.class, () -> trainer(space, new RecordingBackend(),
        a.toBuilder().setSeed(2).build()).train(space.parse("0 1 0"), schedule(3), tmp));
    assertTrue(e.getMessage().contains("another config (its seed)") && e.getMessage().contains("--restart"),
        e.getMessage());
    RunConfig otherSpace = a.toBuilder().setSpace(dev.enas.proto.PluginRef.newBuilder().setId("tiny")
        .setOptions(com.google.protobuf.Any.pack(Schedule.newBuilder().setEpochs(3).build()))).build();
    e = assertThrows(CheckpointException.class, () -> trainer(space, new RecordingBackend(), otherSpace)
        .train(space.parse("0 1 0"), schedule(3), tmp));
    assertTrue(e.getMessage().contains("its space options"), e.getMessage());
  }

  @Test
  void aSearchRunDirectoryIsNeitherTrainedIntoNorDiscarded() throws Exception {
    SearchSpace space = new TinySpaceProvider().create(Schedule.getDefaultInstance());
    Files.writeString(tmp.resolve("config.pbtxt"), "seed: 1\n");
    Files.createDirectories(tmp.resolve("checkpoints/epoch-0001"));
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> trainer(space, new RecordingBackend()).train(space.parse("0 1 0"), schedule(2), tmp));
    assertTrue(e.getMessage().contains("search's run directory") && e.getMessage().contains("--out"), e.getMessage());
    assertThrows(CheckpointException.class, () -> ChildTrainer.discard(tmp));
    assertTrue(Files.isDirectory(tmp.resolve("checkpoints/epoch-0001")));
  }
}
