package dev.enas.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.Empty;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.Schedule;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import dev.enas.runtime.testplugins.ToyBackendProvider;
import dev.enas.runtime.testplugins.ToyDatasetProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      return toy.train(child, batch, learningRate);
    }

    public Evaluation evaluate(Graph child, Batch batch) {
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
    Progress.Factory quiet = (task, total) -> new Progress() {
      public void step(String status) {}

      public void close() {}
    };
    ChildTrainer trainer = new ChildTrainer(space, new ToyDatasetProvider().create(Empty.getDefaultInstance(), 3),
        backend, "tiny").withProgress(quiet);
    TrainSchedule schedule = ChildTrainer.defaults(TrainSchedule.newBuilder().setEpochs(2).setBatchSize(8)
        .setStepsPerEpoch(4).setTestBatches(1).build());
    trainer.train(space.parse("0 1 0"), schedule, tmp);
    double[] got = backend.progress.stream().mapToDouble(Double::doubleValue).toArray();
    assertArrayEquals(new double[] {0, 1 / 8.0, 2 / 8.0, 3 / 8.0, 4 / 8.0, 5 / 8.0, 6 / 8.0, 7 / 8.0}, got, 1e-12);
  }
}
