package dev.enas.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.TaskKind;
import dev.enas.proto.RunConfig;
import dev.enas.proto.Schedule;
import dev.enas.proto.TrainSchedule;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import dev.enas.runtime.testplugins.ToyDatasetProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code enas train} switches to averaged SGD as enas_lm does: once an epoch's validation loss fails to beat the best
 * of the epochs more than {@code asgd_nonmono} earlier; from then on validation, test and the saved model use the
 * averaged weights; a killed run resumes averaging.
 */
class AveragedSgdTest {
  @TempDir
  Path tmp;

  private static final int STEPS = 4;

  /**
   * A backend whose validation loss per epoch is scripted; it records when averaging starts and what each evaluation
   * used, and saves its step count and averaging flag.
   */
  private static final class ScriptedBackend implements Backend {
    final double[] validLoss;
    final List<String> log = new ArrayList<>();
    final boolean forgetsAveraging;
    long steps;
    boolean averaging;
    boolean swapped;

    ScriptedBackend(boolean forgetsAveraging, double... validLoss) {
      this.validLoss = validLoss;
      this.forgetsAveraging = forgetsAveraging;
    }

    ScriptedBackend(double... validLoss) {
      this(false, validLoss);
    }

    public String device() {
      return "scripted";
    }

    public Set<Class<? extends Op>> supportedOps() {
      return Set.of();
    }

    public TrainResult train(Graph child, Batch batch, double learningRate) {
      if (swapped) {
        throw new AssertionError("trained on the averaged weights");
      }
      steps++;
      return new TrainResult(1, 0.5, null);
    }

    public Evaluation evaluate(Graph child, Batch batch) {
      int epoch = (int) (steps / STEPS); // 1-based: the epoch just trained
      log.add((swapped ? "averaged " : "plain ") + epoch);
      return new Evaluation(validLoss[Math.min(epoch, validLoss.length) - 1], 0.5, batch.size(), 0);
    }

    public void startAveraging() {
      assertFalse(averaging, "started twice");
      averaging = true;
      log.add("start after " + steps / STEPS);
    }

    public boolean averaging() {
      return averaging;
    }

    public void swapAveraged() {
      assertTrue(averaging);
      swapped = !swapped;
    }

    public void save(Path file, String spaceId) throws IOException {
      Files.writeString(file, steps + " " + (averaging && !swapped));
    }

    public void load(Path file, String spaceId) throws IOException {
      String[] s = Files.readString(file).split(" ");
      steps = Long.parseLong(s[0]);
      averaging = Boolean.parseBoolean(s[1]) && !forgetsAveraging;
    }

    public void close() {}
  }

  private static final Progress.Factory QUIET = (task, total) -> new Progress() {
    public void step(String status) {}

    public void close() {}
  };

  private static SearchSpace space(TaskKind task) {
    SearchSpace tiny = spy(new TinySpaceProvider().create(Schedule.getDefaultInstance()));
    doReturn(task).when(tiny).task();
    return tiny;
  }

  private static ChildTrainer trainer(SearchSpace space, Backend backend) {
    return new ChildTrainer(space, new ToyDatasetProvider().create(Empty.getDefaultInstance(), 3), backend, "tiny",
        "scripted", RunConfig.getDefaultInstance()).withProgress(QUIET);
  }

  private static TrainSchedule schedule(int epochs, TrainSchedule.Averaging averaging) {
    return ChildTrainer.defaults(TrainSchedule.newBuilder().setEpochs(epochs).setBatchSize(8).setStepsPerEpoch(STEPS)
        .setTestBatches(1).setEvalBatchSize(8).setAveraging(averaging).setAsgdNonmono(2).build());
  }

  /** Validation losses per epoch: epoch 4's 6.0 does not beat epoch 1's 5.0, the best more than 2 epochs earlier. */
  private static final double[] LOSSES = {5, 4, 4.5, 6, 3, 3};

  private static List<String> distinct(List<String> log) {
    return log.stream().distinct().toList();
  }

  @Test
  void aLanguageModelSwitchesWhenValidationFailsToBeatTheBestFromMoreThanNonmonoEpochsEarlier() throws Exception {
    SearchSpace lm = space(TaskKind.LANGUAGE_MODEL);
    ScriptedBackend b = new ScriptedBackend(LOSSES);
    TrainSummary s = trainer(lm, b).train(lm.parse("0 1 0"), schedule(6, TrainSchedule.Averaging.AVERAGING_DEFAULT),
        tmp.resolve("lm"));
    assertEquals(List.of("plain 1", "plain 2", "plain 3", "plain 4", "start after 4", "averaged 5", "averaged 6"),
        distinct(b.log));
    assertEquals(4, s.getAveragingSinceEpoch());
    assertTrue(b.swapped, "the averaged model is what was tested and saved");
    assertEquals("24 false", Files.readString(tmp.resolve("lm/model/weights.pb")), "saved while swapped");
  }

  @Test
  void otherTasksAverageOnlyWhenAskedAndOffMeansOff() throws Exception {
    SearchSpace images = space(TaskKind.IMAGE_CLASSIFICATION);
    ScriptedBackend byDefault = new ScriptedBackend(LOSSES);
    TrainSummary s = trainer(images, byDefault).train(images.parse("0 1 0"),
        schedule(6, TrainSchedule.Averaging.AVERAGING_DEFAULT), tmp.resolve("default"));
    assertFalse(byDefault.averaging);
    assertEquals(0, s.getAveragingSinceEpoch());

    ScriptedBackend on = new ScriptedBackend(LOSSES);
    trainer(images, on).train(images.parse("0 1 0"), schedule(6, TrainSchedule.Averaging.AVERAGING_ON),
        tmp.resolve("on"));
    assertTrue(on.log.contains("start after 4"), on.log.toString());

    SearchSpace lm = space(TaskKind.LANGUAGE_MODEL);
    ScriptedBackend off = new ScriptedBackend(LOSSES);
    trainer(lm, off).train(lm.parse("0 1 0"), schedule(6, TrainSchedule.Averaging.AVERAGING_OFF), tmp.resolve("off"));
    assertFalse(off.averaging);
  }

  @Test
  void aResumedTrainingGoesOnAveraging() throws Exception {
    SearchSpace lm = space(TaskKind.LANGUAGE_MODEL);
    TrainSchedule t = schedule(6, TrainSchedule.Averaging.AVERAGING_DEFAULT);
    TrainSummary whole = trainer(lm, new ScriptedBackend(LOSSES)).train(lm.parse("0 1 0"), t, tmp.resolve("whole"));

    Path out = tmp.resolve("stopped");
    assertTrue(trainer(lm, new ScriptedBackend(LOSSES)).train(lm.parse("0 1 0"), t, out, 4).isEmpty());
    ScriptedBackend second = new ScriptedBackend(LOSSES);
    TrainSummary got = trainer(lm, second).train(lm.parse("0 1 0"), t, out);
    assertEquals(List.of("averaged 5", "averaged 6"), distinct(second.log));
    assertEquals(whole.toBuilder().clearSeconds().build(), got.toBuilder().clearSeconds().build());

    // the history before the switch is kept too: stopped after epoch 3, the switch still comes after epoch 4
    Path early = tmp.resolve("early");
    assertTrue(trainer(lm, new ScriptedBackend(LOSSES)).train(lm.parse("0 1 0"), t, early, 3).isEmpty());
    ScriptedBackend later = new ScriptedBackend(LOSSES);
    trainer(lm, later).train(lm.parse("0 1 0"), t, early);
    assertEquals(List.of("plain 4", "start after 4", "averaged 5", "averaged 6"), distinct(later.log));
  }

  @Test
  void aCheckpointThatStartedAveragingButHasNoMeansIsRefused() throws Exception {
    SearchSpace lm = space(TaskKind.LANGUAGE_MODEL);
    TrainSchedule t = schedule(6, TrainSchedule.Averaging.AVERAGING_DEFAULT);
    Path out = tmp.resolve("out");
    trainer(lm, new ScriptedBackend(LOSSES)).train(lm.parse("0 1 0"), t, out, 4);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> trainer(lm, new ScriptedBackend(true, LOSSES)).train(lm.parse("0 1 0"), t, out));
    assertTrue(e.getMessage().contains("averaged SGD started after epoch 4") && e.getMessage().contains("--restart"),
        e.getMessage());
  }

  @Test
  void theSwitchRule() {
    assertFalse(ChildTrainer.startsAveraging(List.of(5.0, 4.0), 9, 2), "not enough history");
    assertFalse(ChildTrainer.startsAveraging(List.of(5.0, 4.0, 4.5), 4.9, 2), "beats 5.0");
    assertTrue(ChildTrainer.startsAveraging(List.of(5.0, 4.0, 4.5), 5.1, 2));
    assertTrue(ChildTrainer.startsAveraging(List.of(5.0, 4.0, 4.5, 9.0), 4.5, 2), "the best of 5.0, 4.0 is 4.0");
    assertFalse(ChildTrainer.startsAveraging(List.of(5.0, 4.0, 4.5, 9.0), 3.9, 2));
  }
}
