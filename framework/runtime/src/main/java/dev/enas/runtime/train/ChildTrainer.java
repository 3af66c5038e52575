package dev.enas.runtime.train;

import com.google.protobuf.TextFormat;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.Graph;
import dev.enas.api.schema.Architecture;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.TrainSchedule;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.search.LearningRateSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one fixed architecture from scratch, as the paper's final step: SGD on the training split with a
 * cosine schedule, validation accuracy each epoch, test accuracy at the end, and the trained weights saved
 * with the architecture in {@code <out>/model/}.
 */
public final class ChildTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ChildTrainer.class);

  private final SearchSpace space;
  private final Dataset dataset;
  private final Backend backend;
  private final String spaceId;
  private Progress.Factory progress = Progress.auto(20);

  public ChildTrainer(SearchSpace space, Dataset dataset, Backend backend, String spaceId) {
    this.space = space;
    this.dataset = dataset;
    this.backend = backend;
    this.spaceId = spaceId;
  }

  public ChildTrainer withProgress(Progress.Factory f) {
    this.progress = f;
    return this;
  }

  /** Fills unset fields: 10 epochs, batch 128, lr 0.05 to 0.0001 over one cosine. */
  public static TrainSchedule defaults(TrainSchedule t) {
    TrainSchedule.Builder b = t.toBuilder();
    if (t.getEpochs() <= 0) {
      b.setEpochs(10);
    }
    if (t.getBatchSize() <= 0) {
      b.setBatchSize(128);
    }
    if (t.getLrMax() <= 0) {
      b.setLrMax(0.05);
    }
    if (t.getLrMin() <= 0) {
      b.setLrMin(0.0001);
    }
    if (t.getLrTMul() <= 0) {
      b.setLrTMul(1);
    }
    return b.build();
  }

  public TrainSummary train(Architecture arch, TrainSchedule t, Path out) throws IOException {
    Graph child = space.child(arch);
    int t0 = t.getLrT0() > 0 ? t.getLrT0() : t.getEpochs();
    LearningRateSchedule lr = new LearningRateSchedule(t.getLrMax(), t.getLrMin(), t0, t.getLrTMul());
    long steps = t.getStepsPerEpoch() > 0 ? t.getStepsPerEpoch() : Math.max(1, dataset.size(Split.TRAIN) / t.getBatchSize());
    long start = System.nanoTime();
    long step = 0;
    double lastLoss = Double.NaN;
    double validAcc = Double.NaN;
    LOG.info("training {} ({} parameters, {} MFLOPs per example) for {} epochs of {} steps on {}",
        space.format(arch), child.parameterCount(), child.flops() / 1_000_000, t.getEpochs(), steps, backend.device());
    for (int epoch = 0; epoch < t.getEpochs(); epoch++) {
      double sum = 0;
      try (Progress p = progress.start(String.format("train epoch %d/%d", epoch + 1, t.getEpochs()), steps)) {
        for (long i = 0; i < steps; i++, step++) {
          Batch b = dataset.batch(Split.TRAIN, step, t.getBatchSize(), true);
          // Progress drives schedules inside the child, such as the drop-path rate.
          double progress = (double) step / (t.getEpochs() * steps);
          TrainResult r = backend.train(child, b, lr.at(epoch + (double) i / steps), progress);
          if (!Double.isFinite(r.loss())) {
            throw new IllegalStateException("training loss became " + r.loss() + " at epoch " + (epoch + 1)
                + "; lower train.lr_max");
          }
          sum += r.loss();
          p.step(String.format(Locale.ROOT, "loss %.3f acc %.3f", r.loss(), r.accuracy()));
        }
      }
      lastLoss = sum / steps;
      validAcc = evaluate(child, Split.VALID, t.getBatchSize(), 0)[1];
      LOG.info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, validation accuracy %.4f", epoch + 1,
          t.getEpochs(), lastLoss, validAcc));
    }
    double[] test = evaluate(child, Split.TEST, t.getBatchSize(), t.getTestBatches());
    TrainSummary summary = TrainSummary.newBuilder().setSpace(spaceId).setArchString(space.format(arch))
        .setEpochs(t.getEpochs()).setSteps(step).setParameters(child.parameterCount()).setFinalTrainLoss(lastLoss)
        .setValidAccuracy(validAcc).setTestLoss(test[0]).setTestAccuracy(test[1]).setTestExamples((long) test[2])
        .setSeconds((System.nanoTime() - start) / 1e9).build();
    Path model = out.resolve("model");
    Files.createDirectories(model);
    backend.save(model.resolve("weights.pb"), spaceId);
    AtomicFiles.write(model.resolve("arch.txt"), (space.format(arch) + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(model.resolve("arch.dot"), space.dot(arch).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(model.resolve("metrics.pbtxt"),
        TextFormat.printer().printToString(summary).getBytes(StandardCharsets.UTF_8));
    return summary;
  }

  /** Mean loss, accuracy and example count over a split's batches (all when {@code maxBatches} is 0). */
  private double[] evaluate(Graph child, Split split, int batchSize, int maxBatches) {
    long size = dataset.size(split);
    long batches = (size + batchSize - 1) / batchSize;
    if (maxBatches > 0) {
      batches = Math.min(batches, maxBatches);
    }
    double loss = 0;
    double correct = 0;
    long n = 0;
    for (long i = 0; i < batches; i++) {
      Batch b = dataset.batch(split, i, batchSize, false);
      Evaluation e = backend.evaluate(child, b);
      loss += e.loss() * e.examples();
      correct += e.accuracy() * e.examples();
      n += e.examples();
    }
    return new double[] {loss / Math.max(1, n), correct / Math.max(1, n), n};
  }
}
