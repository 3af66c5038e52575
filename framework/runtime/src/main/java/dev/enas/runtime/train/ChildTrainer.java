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
import dev.enas.api.space.TaskKind;
import dev.enas.proto.RunConfig;
import dev.enas.proto.TrainProgress;
import dev.enas.proto.TrainSchedule;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.progress.ThreadLines;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.search.LearningRateSchedule;
import dev.enas.tensorboard.Summaries;
import dev.enas.tensorboard.TensorBoardLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one fixed architecture from scratch, as the paper's final step: SGD on the training split with a
 * cosine schedule, validation accuracy each epoch, test accuracy at the end, and the trained weights saved
 * with the architecture in {@code <out>/model/}. Each epoch ends with a checkpoint in {@code <out>/checkpoints/},
 * from which a stopped or killed run resumes. TensorBoard event files go to {@code <out>/tb/}: the architecture as
 * text, then per epoch the training loss, learning rate, throughput and validation loss, accuracy (and perplexity for
 * a language model), and at the end the test metrics.
 */
public final class ChildTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ChildTrainer.class);

  private static final String WEIGHTS = "weights.pb";
  private static final String PROGRESS = "train-progress.pb";
  private static final String MODEL = "model";
  private static final String METRICS = "metrics.pbtxt";
  /** The directory of a finished training's model, in its output directory. */
  public static final String MODEL_DIR = MODEL;
  /** The finished model's files in {@link #MODEL_DIR}: weights, architecture, metrics and the config trained with. */
  public static final String MODEL_WEIGHTS = "weights.pb";
  public static final String MODEL_ARCH = "arch.txt";
  public static final String MODEL_METRICS = METRICS;
  public static final String MODEL_CONFIG = "config.pbtxt";
  /** TensorBoard tags, plotted against the epoch (1, 2, ...); {@link #TB_ARCH} is at step 0. */
  public static final String TB_ARCH = "model/arch";
  public static final String TB_TRAIN_LOSS = "train/loss";
  public static final String TB_LEARNING_RATE = "train/learning_rate";
  public static final String TB_EXAMPLES_PER_SECOND = "train/examples_per_second";
  public static final String TB_VALID_LOSS = "valid/loss";
  public static final String TB_VALID_ACCURACY = "valid/accuracy";
  public static final String TB_VALID_PERPLEXITY = "valid/perplexity";
  public static final String TB_TEST_LOSS = "test/loss";
  public static final String TB_TEST_ACCURACY = "test/accuracy";
  public static final String TB_TEST_PERPLEXITY = "test/perplexity";

  private final SearchSpace space;
  private final Dataset dataset;
  private final Backend backend;
  private final String spaceId;
  private final String backendId;
  private final RunConfig config;
  private Progress.Factory progress = Progress.auto(20);
  private java.util.function.Consumer<String> notices = LOG::info;
  private boolean backendSwitch;
  private TextFormat.Printer printer = TextFormat.printer();

  /** The space and backend ids are written into checkpoints and checked on resume; the config is kept there too. */
  public ChildTrainer(SearchSpace space, Dataset dataset, Backend backend, String spaceId, String backendId,
      RunConfig config) {
    this.space = space;
    this.dataset = dataset;
    this.backend = backend;
    this.spaceId = spaceId;
    this.backendId = backendId;
    this.config = config;
  }

  public ChildTrainer withProgress(Progress.Factory f) {
    this.progress = f;
    return this;
  }

  /** Where lines for the user go, such as that the checkpoint continued from was written by another backend. */
  public ChildTrainer withNotices(java.util.function.Consumer<String> f) {
    this.notices = f;
    return this;
  }

  /**
   * Whether the backend was chosen with {@code --backend}: a checkpoint written with another backend (or other
   * backend options) is then continued, not refused.
   */
  public ChildTrainer withBackendSwitch(boolean switched) {
    this.backendSwitch = switched;
    return this;
  }

  /** How {@code model/config.pbtxt} is printed: with the plugins' options types, to show their options as text. */
  public ChildTrainer withConfigPrinter(TextFormat.Printer p) {
    this.printer = p;
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

  /** The batch size that validation and test read: {@code eval_batch_size}, or the training batch size. */
  public static int evalBatchSize(TrainSchedule t) {
    return t.getEvalBatchSize() > 0 ? t.getEvalBatchSize() : t.getBatchSize();
  }

  /** Trains {@code arch} to the end, resuming from {@code out}'s latest checkpoint when it has one. */
  public TrainSummary train(Architecture arch, TrainSchedule t, Path out) throws IOException {
    return train(arch, t, out, 0).orElseThrow();
  }

  /**
   * Trains {@code arch} with schedule {@code t}, writing a checkpoint (weights, optimiser state, progress) to
   * {@code out/checkpoints/} after every epoch and resuming from the latest one: a killed run continues where its
   * last epoch ended, with the same batches and results as if it had never stopped. A checkpoint of another
   * architecture, schedule, space or backend is refused.
   *
   * @param stopAfterEpochs stop once this many epochs are done in all (0: train to the end)
   * @return the summary, or empty when stopped before the end
   */
  public Optional<TrainSummary> train(Architecture arch, TrainSchedule t, Path out, int stopAfterEpochs)
      throws IOException {
    Graph child = space.child(arch);
    String archString = space.format(arch);
    int t0 = t.getLrT0() > 0 ? t.getLrT0() : t.getEpochs();
    LearningRateSchedule lr = new LearningRateSchedule(t.getLrMax(), t.getLrMin(), t0, t.getLrTMul());
    long steps = t.getStepsPerEpoch() > 0 ? t.getStepsPerEpoch() : dataset.batches(Split.TRAIN, t.getBatchSize());
    requireNotASearchRun(out);
    CheckpointStore store = new CheckpointStore(out, 2);
    TrainProgress.Builder at = TrainProgress.newBuilder().setArchString(archString).setSchedule(t)
        .setLastTrainLoss(Double.NaN).setValidAccuracy(Double.NaN);
    Optional<CheckpointStore.Selection> cp = store.select("Pass --restart to discard them and train from the start, "
        + "or choose another --out.");
    if (cp.isPresent()) {
      restore(cp.get().checkpoint(), at, archString, t);
      store.setAsideNewerThan(cp.get().checkpoint());
      LOG.info("resuming the training in {} from {} ({}): after epoch {} (step {})", out, cp.get().name(),
          cp.get().reason(), at.getEpochsDone(), at.getSteps());
    } else if (Files.exists(out.resolve(MODEL).resolve(METRICS))) {
      throw new CheckpointException(out + " holds a finished training (" + MODEL + "/" + METRICS + ") but no "
          + "checkpoint to continue from; pass --restart to train again (it replaces " + MODEL + "/), or choose "
          + "another --out");
    } else {
      LOG.info("training {} ({} parameters, {} MFLOPs per example) for {} epochs of {} steps on {}", archString,
          child.parameterCount(), child.flops() / 1_000_000, t.getEpochs(), steps, backend.device());
    }
    long start = System.nanoTime() - (long) (at.getElapsedSeconds() * 1e9);
    long step = at.getSteps();
    int last = stopAfterEpochs > 0 ? Math.min(stopAfterEpochs, t.getEpochs()) : t.getEpochs();
    boolean languageModel = space.task() == TaskKind.LANGUAGE_MODEL;
    boolean averagingOn = averagingOn(t, space.task());
    int nonmono = nonmono(t);
    if (at.getAveragingSinceEpoch() > 0 && !backend.averaging()) {
      throw new CheckpointException(out + ": its checkpoint says averaged SGD started after epoch "
          + at.getAveragingSinceEpoch() + " but its weights file has no running means; pass --restart");
    }
    CarriedState carried = new CarriedState();
    try (TensorBoardLog tb = tensorBoard(out, cp.isPresent(), at.getEpochsDone(), archString)) {
      for (int epoch = at.getEpochsDone(); epoch < last; epoch++) {
        double sum = 0;
        carried.reset();
        long examples = 0;
        long epochStart = System.nanoTime();
        try (Progress p = progress.start(String.format("train epoch %d/%d", epoch + 1, t.getEpochs()), steps)) {
          for (long i = 0; i < steps; i++, step++) {
            Batch b = carried.feed(dataset.batch(Split.TRAIN, step, t.getBatchSize(), true), step);
            // Progress drives schedules inside the child, such as the drop-path rate.
            double progress = (double) step / (t.getEpochs() * steps);
            TrainResult r = backend.train(child, b, lr.at(epoch + (double) i / steps) * dataset.learningRateScale(b),
                progress);
            carried.keep(b, step, r.state());
            if (!Double.isFinite(r.loss())) {
              throw new IllegalStateException("training loss became " + r.loss() + " at epoch " + (epoch + 1)
                  + "; lower train.lr_max");
            }
            sum += r.loss();
            examples += b.size();
            p.step(String.format(Locale.ROOT, "loss %.3f acc %.3f", r.loss(), r.accuracy()));
          }
        }
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        double[] valid;
        boolean averagedValid = backend.averaging();
        if (averagedValid) {
          valid = averaged(() -> evaluate(child, Split.VALID, evalBatchSize(t), 0));
        } else {
          valid = evaluate(child, Split.VALID, evalBatchSize(t), 0);
          if (averagingOn && startsAveraging(at.getValidLossHistoryList(), valid[0], nonmono)) {
            startAveraging(at, epoch + 1, nonmono, languageModel,
                t.getAveraging() == TrainSchedule.Averaging.AVERAGING_ON);
          }
          at.addValidLossHistory(valid[0]);
        }
        at.setEpochsDone(epoch + 1).setSteps(step).setLastTrainLoss(sum / steps).setValidAccuracy(valid[1])
            .setValidLoss(valid[0]).setElapsedSeconds((System.nanoTime() - start) / 1e9);
        // before the checkpoint: a resume keeps the epochs its checkpoint has and drops any later one
        tb.write(epoch + 1, Summaries.scalar(TB_TRAIN_LOSS, sum / steps),
            Summaries.scalar(TB_LEARNING_RATE, lr.at(epoch)),
            Summaries.scalar(TB_EXAMPLES_PER_SECOND, trainSeconds > 0 ? examples / trainSeconds : 0),
            Summaries.scalar(TB_VALID_LOSS, valid[0]), Summaries.scalar(TB_VALID_ACCURACY, valid[1]));
        if (languageModel) {
          tb.scalar(TB_VALID_PERPLEXITY, epoch + 1, Math.exp(valid[0]));
        }
        String line = String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f, validation accuracy %.4f", epoch + 1,
            t.getEpochs(), at.getLastTrainLoss(), at.getValidAccuracy())
            + (languageModel ? String.format(Locale.ROOT, ", perplexity %.2f", Math.exp(valid[0])) : "")
            + (averagedValid ? " (averaged weights)" : "");
        LOG.info(line);
        ThreadLines.emit(line);
        checkpoint(store, at.build());
      }
      if (at.getEpochsDone() < t.getEpochs()) {
        LOG.info("stopped after epoch {} of {}; run the same command again to continue", at.getEpochsDone(),
            t.getEpochs());
        return Optional.empty();
      }
      // under averaged SGD the model tested and saved is the running mean; the backend is left swapped
      if (backend.averaging()) {
        backend.swapAveraged();
      }
      double[] test = evaluate(child, Split.TEST, evalBatchSize(t), t.getTestBatches());
      TrainSummary.Builder summary = TrainSummary.newBuilder().setSpace(spaceId).setArchString(archString)
          .setEpochs(t.getEpochs()).setSteps(at.getSteps()).setParameters(child.parameterCount())
          .setFinalTrainLoss(at.getLastTrainLoss()).setValidAccuracy(at.getValidAccuracy()).setTestLoss(test[0])
          .setTestAccuracy(test[1]).setTestExamples((long) test[2]).setSeconds((System.nanoTime() - start) / 1e9)
          .setValidLoss(at.getValidLoss()).setAveragingSinceEpoch(at.getAveragingSinceEpoch());
      if (languageModel) {
        summary.setTestPerplexity(Math.exp(test[0])).setValidPerplexity(Math.exp(at.getValidLoss()));
      }
      Path model = out.resolve(MODEL);
      Files.createDirectories(model);
      backend.save(model.resolve(MODEL_WEIGHTS), spaceId);
      // what enas evaluate needs to rebuild the network and its data: the config trained with, schedule filled in
      AtomicFiles.write(model.resolve(MODEL_CONFIG),
          printer.printToString(config.toBuilder().setTrain(t).build()).getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(model.resolve("arch.txt"), (archString + "\n").getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(model.resolve("arch.dot"), space.dot(arch).getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(model.resolve(METRICS),
          TextFormat.printer().printToString(summary).getBytes(StandardCharsets.UTF_8));
      tb.write(t.getEpochs(), Summaries.scalar(TB_TEST_LOSS, test[0]), Summaries.scalar(TB_TEST_ACCURACY, test[1]));
      if (languageModel) {
        tb.scalar(TB_TEST_PERPLEXITY, t.getEpochs(), Math.exp(test[0]));
      }
      return Optional.of(summary.build());
    }
  }

  /** Whether a training with schedule {@code t} of a model of this task may switch to averaged SGD. */
  public static boolean averagingOn(TrainSchedule t, TaskKind task) {
    return switch (t.getAveraging()) {
      case AVERAGING_ON -> true;
      case AVERAGING_OFF -> false;
      default -> task == TaskKind.LANGUAGE_MODEL;
    };
  }

  /** The epochs of patience before averaged SGD starts: {@code asgd_nonmono}, or enas_lm's 10. */
  public static int nonmono(TrainSchedule t) {
    return t.getAsgdNonmono() > 0 ? t.getAsgdNonmono() : 10;
  }

  /**
   * enas_lm's (and AWD-LSTM's) switch to averaged SGD: this epoch's validation loss fails to beat the best of the
   * epochs more than {@code nonmono} before it ({@code history}: the earlier epochs' losses, oldest first).
   */
  public static boolean startsAveraging(List<Double> history, double validLoss, int nonmono) {
    if (history.size() <= nonmono) {
      return false;
    }
    double best = Double.POSITIVE_INFINITY;
    for (double h : history.subList(0, history.size() - nonmono)) {
      best = Math.min(best, h);
    }
    return validLoss > best;
  }

  private void startAveraging(TrainProgress.Builder at, int epoch, int nonmono, boolean languageModel,
      boolean required) {
    try {
      backend.startAveraging();
    } catch (UnsupportedOperationException e) {
      if (required) {
        throw new IllegalStateException("train.averaging is ON but backend '" + backendId + "' cannot average its "
            + "weights (" + e.getMessage() + "); set train.averaging: AVERAGING_OFF or use another backend", e);
      }
      LOG.warn("backend '{}' cannot average its weights: training goes on with plain SGD ({})", backendId,
          e.getMessage());
      return;
    }
    at.setAveragingSinceEpoch(epoch);
    LOG.info("epoch {}: the validation {} has not beaten the best of the epochs more than {} earlier; switching to "
        + "averaged SGD (validation, test and the saved model now use the running mean of the weights)", epoch,
        languageModel ? "perplexity" : "loss", nonmono);
  }

  /** Runs {@code work} with the averaged weights in use, and the trained ones back afterwards. */
  private double[] averaged(java.util.function.Supplier<double[]> work) {
    backend.swapAveraged();
    try {
      return work.get();
    } finally {
      backend.swapAveraged();
    }
  }

  /**
   * The training's TensorBoard log in {@code out/tb/}: a new one, headed by the architecture, for a training from
   * scratch; for a resumed one, its earlier files cut back to the epochs the checkpoint has.
   */
  private static TensorBoardLog tensorBoard(Path out, boolean resumed, int epochsDone, String archString)
      throws IOException {
    Path dir = out.resolve(TensorBoardLog.DIR);
    if (resumed) {
      return TensorBoardLog.truncate(dir, TensorBoardLog.TRAIN, epochsDone);
    }
    TensorBoardLog tb = TensorBoardLog.rebuild(dir, TensorBoardLog.TRAIN, List.of());
    tb.text(TB_ARCH, 0, archString);
    return tb;
  }

  private void checkpoint(CheckpointStore store, TrainProgress at) throws IOException {
    Map<String, Map.Entry<String, CheckpointStore.Part>> parts = new LinkedHashMap<>();
    parts.put(WEIGHTS, Map.entry("weights", f -> backend.save(f, spaceId)));
    parts.put(PROGRESS, Map.entry("train-progress", f -> Files.write(f, at.toByteArray())));
    store.write(at.getEpochsDone(), at.getSteps(), spaceId, backendId, config, parts);
  }

  private void restore(CheckpointStore.Checkpoint cp, TrainProgress.Builder at, String archString, TrainSchedule t)
      throws IOException {
    cp.requireSpace(spaceId);
    TrainProgress saved;
    try {
      saved = TrainProgress.parseFrom(Files.readAllBytes(cp.file(PROGRESS)));
    } catch (NoSuchFileException e) {
      throw new CheckpointException("checkpoint " + cp.dir() + " has no " + PROGRESS
          + ": it is not a checkpoint of enas train (a search's run directory?); choose another --out");
    }
    if (!saved.getArchString().equals(archString)) {
      throw new CheckpointException(cp.dir().getParent().getParent() + " holds a training of another architecture ("
          + saved.getArchString() + "); choose another --out, or pass --restart to discard it");
    }
    if (!saved.getSchedule().equals(t)) {
      throw new CheckpointException(cp.dir().getParent().getParent() + " holds a training with another schedule ("
          + TextFormat.shortDebugString(saved.getSchedule()) + ", now " + TextFormat.shortDebugString(t)
          + "); run with the same train block and --epochs, choose another --out, or pass --restart");
    }
    requireSameConfig(cp);
    if (backendSwitch) {
      cp.switchedFrom(backendId).ifPresent(notices);
    }
    backend.load(cp.file(WEIGHTS), spaceId);
    at.mergeFrom(saved);
  }

  /**
   * Refuses a checkpoint written with another space, dataset or backend plugin configuration or another seed: its
   * weights, batches or numerics would not be this training's. Other parts of the config (the search schedule, the
   * run name) do not matter to a training.
   */
  private void requireSameConfig(CheckpointStore.Checkpoint cp) {
    RunConfig saved = cp.manifest().getConfig();
    List<String> differ = new ArrayList<>();
    if (!saved.getSpace().equals(config.getSpace())) {
      differ.add("space options (--search-preset or not changes them)");
    }
    if (!saved.getDataset().equals(config.getDataset())) {
      differ.add("dataset");
    }
    if (!backendSwitch && !saved.getBackend().equals(config.getBackend())) {
      differ.add("backend: it was trained on '" + cp.writtenBy() + "'" + (saved.getBackend().getId()
          .equals(config.getBackend().getId()) ? " with other options" : "") + "; to continue it on the config's "
          + "backend pass --backend " + config.getBackend().getId());
    }
    if (saved.getSeed() != config.getSeed()) {
      differ.add("seed");
    }
    if (!differ.isEmpty()) {
      throw new CheckpointException(cp.dir().getParent().getParent() + " holds a training with another config ("
          + "its " + String.join(", ", differ) + "); run with the same config, choose another --out, or pass --restart");
    }
  }

  /**
   * For {@code --restart}: deletes {@code out}'s checkpoints (those set aside too) and model, so that a training
   * starts from scratch. Refuses a search's run directory, whose checkpoints are not a training's to discard.
   */
  public static void discard(Path out) throws IOException {
    requireNotASearchRun(out);
    new CheckpointStore(out, 1).clear();
    Path model = out.resolve(MODEL);
    if (Files.isDirectory(model, LinkOption.NOFOLLOW_LINKS)) {
      try (var files = Files.walk(model)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** A training never writes into, or resumes from, a search's run directory. */
  private static void requireNotASearchRun(Path out) {
    if (Files.exists(out.resolve(RunDirectory.CONFIG)) || Files.exists(out.resolve(EventLog.FILE))) {
      throw new CheckpointException(out + " is a search's run directory (it has " + RunDirectory.CONFIG + " or "
          + EventLog.FILE + "); enas train writes its checkpoints and model elsewhere: choose another --out");
    }
  }

  /** Mean loss and accuracy of a split, and how many examples (sequences for a language model) it counted. */
  public record Score(double loss, double accuracy, long examples) {}

  /**
   * Scores {@code child} on a split as {@link #train} does at its end: batches of {@link #evalBatchSize},
   * all of them for the validation split, at most {@link TrainSchedule#getTestBatches} (0: all) of the test split.
   */
  public Score score(Graph child, Split split, TrainSchedule t) {
    double[] r = evaluate(child, split, evalBatchSize(t), split == Split.TEST ? t.getTestBatches() : 0);
    return new Score(r[0], r[1], (long) r[2]);
  }

  /**
   * Mean loss, accuracy and example count over a split's batches (all when {@code maxBatches} is 0); a language model
   * carries its state through the split's stream, as the authors evaluate.
   */
  private double[] evaluate(Graph child, Split split, int batchSize, int maxBatches) {
    Score s = score(dataset, split, batchSize, maxBatches, b -> backend.evaluate(child, b));
    return new double[] {s.loss(), s.accuracy(), s.examples()};
  }

  /**
   * Mean loss and accuracy (weighted by examples) and the example count of {@code evaluator} over a split's batches,
   * all of them when {@code maxBatches} is 0: how a trained model is scored, by a backend or by another runtime
   * (an exported ONNX model).
   */
  public static Score score(Dataset dataset, Split split, int batchSize, int maxBatches,
      java.util.function.Function<Batch, Evaluation> evaluator) {
    long batches = dataset.batches(split, batchSize);
    if (maxBatches > 0) {
      batches = Math.min(batches, maxBatches);
    }
    double loss = 0;
    double correct = 0;
    long n = 0;
    CarriedState carried = new CarriedState();
    for (long i = 0; i < batches; i++) {
      Batch b = carried.feed(dataset.batch(split, i, batchSize, false), i);
      Evaluation e = evaluator.apply(b);
      carried.keep(b, i, e.state());
      loss += e.loss() * e.examples();
      correct += e.accuracy() * e.examples();
      n += e.examples();
    }
    return new Score(loss / Math.max(1, n), correct / Math.max(1, n), n);
  }
}
