package dev.enas.runtime.search;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.Graph;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.reward.ChildMetrics;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.ChildStep;
import dev.enas.proto.ControllerUpdate;
import dev.enas.proto.EpochEnd;
import dev.enas.proto.Event;
import dev.enas.proto.RunProgress;
import dev.enas.proto.Schedule;
import dev.enas.proto.SearchSummary;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.progress.Progress;
import dev.enas.runtime.progress.ThreadLines;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.train.CarriedState;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ENAS loop: each epoch a shared phase (the controller samples a child per step, the backend trains
 * the shared weights on a training batch) then a controller phase (sampled children are scored on
 * validation batches, the controller takes a policy step), then a checkpoint. Every random choice comes
 * from the run seed and batches are addressed by number, so a resumed run repeats what an uninterrupted
 * one would have done.
 */
public final class SearchRun {
  private static final Logger LOG = LoggerFactory.getLogger(SearchRun.class);
  static final String WEIGHTS = "weights.pb";
  static final String CONTROLLER = "controller.bin";
  static final String PROGRESS = "progress.pb";

  private final ResolvedConfig config;
  private final SearchSpace space;
  private final Controller controller;
  private final RewardFunction reward;
  private final Dataset dataset;
  private final Backend backend;
  private Progress.Factory progress = Progress.auto(20);
  private java.util.function.Consumer<String> notices = LOG::info;

  @Inject
  public SearchRun(ResolvedConfig config, SearchSpace space, Controller controller, RewardFunction reward,
      Dataset dataset, Backend backend) {
    this.config = config;
    this.space = space;
    this.controller = controller;
    this.reward = reward;
    this.dataset = dataset;
    this.backend = backend;
  }

  public SearchRun withProgress(Progress.Factory f) {
    this.progress = f;
    return this;
  }

  /** Where lines for the user go, such as that the checkpoint resumed from was written by another backend. */
  public SearchRun withNotices(java.util.function.Consumer<String> f) {
    this.notices = f;
    return this;
  }

  private String spaceId() {
    return config.plugin(PluginKind.SPACE).plugin().id();
  }

  private String backendId() {
    return config.plugin(PluginKind.BACKEND).plugin().id();
  }

  /**
   * Runs the search in {@code run} from its latest checkpoint (or from the start), up to {@code stopAfterEpochs}
   * epochs in total (the schedule's epochs when 0 or more than it).
   */
  public SearchSummary run(RunDirectory run, int stopAfterEpochs) throws IOException {
    return run(run, stopAfterEpochs, null);
  }

  /**
   * Runs the search in {@code run} up to {@code stopAfterEpochs} epochs in total (the schedule's epochs when 0 or
   * more than it), continuing from a checkpoint when the run has one: {@code from} names it ({@code epoch-NNNN}, its
   * number or its path), or, when null, the newest that verifies ({@link CheckpointStore#select}). Every check is
   * made before anything is written: a finished run (one with {@code final.pbtxt}) is left as it is and its summary
   * returned; a run whose checkpoints are all corrupt, or that shows in its event log that it had checkpoints
   * which are now gone, is refused rather than started again over its files. Checkpoints newer than the one resumed
   * from are set aside, not overwritten, and the event log is cut back to the checkpoint: the events after it are
   * done again, as an uninterrupted run would have done them.
   */
  public SearchSummary run(RunDirectory run, int stopAfterEpochs, String from) throws IOException {
    Schedule s = config.config().getSchedule();
    int epochs = stopAfterEpochs <= 0 ? s.getEpochs() : Math.min(stopAfterEpochs, s.getEpochs());
    CheckpointStore store = new CheckpointStore(run.path(), 2);
    if (Files.exists(run.resolve(RunDirectory.SUMMARY))) {
      if (from != null) {
        throw new CheckpointException("the search in " + run.path() + " has finished (" + RunDirectory.SUMMARY
            + "); --from would do its last epochs again and replace its results, so it is refused. To do them again, "
            + "copy the run directory, delete " + RunDirectory.SUMMARY + " in the copy and resume the copy --from");
      }
      LOG.info("the search in {} has finished ({}); nothing to resume", run.path(), RunDirectory.SUMMARY);
      return run.readSummary();
    }
    String remedy = "To start this search over, move " + run.path() + " away, or run `enas search CONFIG --run-dir "
        + run.path() + " --overwrite` (this discards its checkpoints, events and results).";
    Optional<CheckpointStore.Selection> chosen = from != null ? Optional.of(store.named(from)) : store.select(remedy);
    RunProgress.Builder at = RunProgress.newBuilder();
    Optional<CheckpointStore.Checkpoint> cp = chosen.map(CheckpointStore.Selection::checkpoint);
    if (cp.isPresent()) {
      restore(cp.get(), at);
      store.setAsideNewerThan(cp.get());
      long logged = Files.exists(run.resolve(EventLog.FILE)) ? Files.size(run.resolve(EventLog.FILE)) : 0;
      if (logged < at.getEventsBytes()) {
        LOG.warn("{} has {} bytes, but {} was taken when it had {}: events before the checkpoint are missing, and the "
            + "resumed run appends after what is left", run.resolve(EventLog.FILE), logged, chosen.get().name(),
            at.getEventsBytes());
      }
      LOG.info("resuming {} from {} ({}): after epoch {} (child step {})", run.path(), chosen.get().name(),
          chosen.get().reason(), at.getEpochsDone(), at.getChildSteps());
    } else {
      requireNoLostCheckpoints(run, s, remedy);
    }
    LOG.info("search: space {}, controller {}, backend {} on {}, dataset {}, {} epochs", spaceId(),
        config.plugin(PluginKind.CONTROLLER).plugin().id(), backendId(), backend.device(),
        config.plugin(PluginKind.DATASET).plugin().id(), s.getEpochs());
    long steps = s.getChildStepsPerEpoch() > 0 ? s.getChildStepsPerEpoch()
        : dataset.batches(Split.TRAIN, s.getChildBatchSize());
    LearningRateSchedule lr = LearningRateSchedule.of(s);
    double elapsedBefore = at.getElapsedSeconds();
    long started = System.nanoTime();
    EpochStats last = null;
    EpochTimeSplit split = new EpochTimeSplit();
    try (EventLog events = EventLog.open(run.path(), at.getEventsBytes())) {
      double previousCheckpoint = 0;
      for (int epoch = at.getEpochsDone(); epoch < epochs; epoch++) {
        long t0 = System.nanoTime();
        double childLoss = sharedPhase(epoch, steps, lr, at, events);
        long t1 = System.nanoTime();
        last = controllerPhase(epoch, at, events);
        last.childLoss = childLoss;
        long t2 = System.nanoTime();
        double shared = (t1 - t0) / 1e9;
        double control = (t2 - t1) / 1e9;
        events.append(event(epoch, at.getChildSteps()).setEpochEnd(EpochEnd.newBuilder()
            .setMeanChildLoss(childLoss).setMeanReward(last.meanReward).setSeconds(shared + control)
            .setSharedSeconds(shared).setControllerSeconds(control).setPreviousCheckpointSeconds(previousCheckpoint))
            .build());
        at.setEpochsDone(epoch + 1);
        at.setElapsedSeconds(elapsedBefore + (System.nanoTime() - started) / 1e9);
        String line = String.format(Locale.ROOT, "epoch %d/%d: child loss %.4f, mean reward %.4f, best %s (%.4f), "
            + "%.1f s (shared %.1f s, controller %.1f s)", epoch + 1, s.getEpochs(), childLoss, last.meanReward,
            last.bestArch, last.bestReward, shared + control, shared, control);
        LOG.info(line);
        ThreadLines.emit(line);
        previousCheckpoint = 0;
        if ((epoch + 1) % s.getCheckpointEveryEpochs() == 0 || epoch + 1 == epochs) {
          long c0 = System.nanoTime();
          at.setEventsBytes(events.sync());
          checkpoint(store, epoch + 1, at.build(), last);
          previousCheckpoint = (System.nanoTime() - c0) / 1e9;
        }
        split.add(shared, control, previousCheckpoint);
      }
      events.sync();
    }
    if (split.epochs() > 0) {
      LOG.info("time split over {}", split);
    }
    if (last == null) {
      last = EpochStats.fromCheckpoint(cp);
    }
    SearchSummary summary = SearchSummary.newBuilder().setEpochs(at.getEpochsDone()).setChildSteps(at.getChildSteps())
        .setLastMeanChildLoss(last.childLoss).setLastMeanReward(last.meanReward).setBestArchString(last.bestArch)
        .setBestReward(last.bestReward).setElapsedSeconds(at.getElapsedSeconds()).build();
    if (at.getEpochsDone() >= s.getEpochs()) {
      run.writeSummary(summary);
    }
    return summary;
  }

  private double sharedPhase(int epoch, long steps, LearningRateSchedule lr, RunProgress.Builder at, EventLog events)
      throws IOException {
    int batchSize = config.config().getSchedule().getChildBatchSize();
    double sum = 0;
    try (Progress p = progress.start(String.format("epoch %d shared", epoch + 1), steps)) {
      // The phase's children are sampled a few steps ahead of their training, to be announced to the backend (the
      // controller does not change during the phase, so they come out as when sampled one by one).
      List<SampledChild> children = sample(Math.toIntExact(steps));
      List<Graph> graphs = SequentialList.map(children, SampledChild::child);
      Announcer announcer = new Announcer(backend, Backend.Use.TRAINING);
      // A language model's state runs on from child to child along the training stream, as in enas_lm's search; each
      // epoch starts from zeros (a resume starts at an epoch).
      CarriedState carried = new CarriedState();
      for (int i = 0; i < steps; i++) {
        long index = at.getChildSteps();
        Batch batch = carried.feed(dataset.batch(Split.TRAIN, index, batchSize, true), index);
        announcer.before(i, graphs, j -> batch);
        Sample sample = children.get(i).sample();
        Graph child = children.get(i).child();
        double rate = lr.at(epoch + (double) i / steps) * dataset.learningRateScale(batch);
        TrainResult r = backend.train(child, batch, rate);
        carried.keep(batch, index, r.state());
        if (!Double.isFinite(r.loss())) {
          throw new IllegalStateException("child loss became " + r.loss() + " at epoch " + (epoch + 1) + ", step " + i
              + " (architecture " + space.format(sample.architecture()) + "); lower schedule.lr_max");
        }
        sum += r.loss();
        events.append(event(epoch, at.getChildSteps()).setChildStep(ChildStep.newBuilder().setLoss(r.loss())
            .setAccuracy(r.accuracy()).setLearningRate(rate).setArchString(space.format(sample.architecture()))).build());
        at.setChildSteps(at.getChildSteps() + 1);
        p.step(String.format(Locale.ROOT, "loss %.3f acc %.3f", r.loss(), r.accuracy()));
      }
    }
    return sum / steps;
  }

  private record SampledChild(Sample sample, Graph child) {}

  /**
   * {@code n} architectures from the controller, in order, with their children: sampled as they are read (the
   * announcer's look-ahead included), and only a few kept, so that a long phase does not hold every child.
   */
  private List<SampledChild> sample(int n) {
    return new SequentialList<>(n, Math.max(16, backend.prepareAhead() + 1), () -> {
      Sample next = controller.sample();
      return new SampledChild(next, space.child(next.architecture()));
    });
  }

  private EpochStats controllerPhase(int epoch, RunProgress.Builder at, EventLog events) throws IOException {
    Schedule s = config.config().getSchedule();
    EpochStats stats = new EpochStats();
    double rewardSum = 0;
    int scored = 0;
    try (Progress p = progress.start(String.format("epoch %d controller", epoch + 1), s.getControllerUpdatesPerEpoch())) {
      for (int u = 0; u < s.getControllerUpdatesPerEpoch(); u++) {
        List<ScoredSample> batch = new ArrayList<>();
        String best = "";
        double bestReward = Double.NEGATIVE_INFINITY;
        // The update's children are sampled a few ahead of their evaluation, to be announced to the backend (the
        // controller changes only at the update, so they come out as when sampled one by one).
        List<SampledChild> children = sample(s.getControllerSamplesPerUpdate());
        List<Graph> graphs = SequentialList.map(children, SampledChild::child);
        Announcer announcer = new Announcer(backend, Backend.Use.EVALUATION);
        long firstBatch = at.getValidBatches();
        for (int k = 0; k < children.size(); k++) {
          announcer.before(k, graphs, j -> validBatch(firstBatch + j));
          Sample sample = children.get(k).sample();
          double r = score(children.get(k), at.getValidBatches());
          at.setValidBatches(at.getValidBatches() + 1);
          batch.add(new ScoredSample(sample, r));
          if (r > bestReward) {
            bestReward = r;
            best = space.format(sample.architecture());
          }
        }
        UpdateResult res = controller.update(batch);
        at.setControllerUpdates(at.getControllerUpdates() + 1);
        rewardSum += res.meanReward() * batch.size();
        scored += batch.size();
        if (bestReward > stats.bestReward) {
          stats.bestReward = bestReward;
          stats.bestArch = best;
        }
        ControllerUpdate.Builder update = ControllerUpdate.newBuilder().setMeanReward(res.meanReward())
            .setBaseline(res.baseline()).setEntropy(res.meanEntropy()).setLoss(res.loss()).setBestArchString(best);
        if (Double.isFinite(bestReward)) {
          update.setBestReward(bestReward);
        }
        events.append(event(epoch, at.getChildSteps()).setControllerUpdate(update).build());
        p.step(String.format(Locale.ROOT, "reward %.3f entropy %.2f", res.meanReward(), res.meanEntropy()));
      }
    }
    stats.meanReward = scored == 0 ? 0 : rewardSum / scored;
    return stats;
  }

  private Batch validBatch(long index) {
    return dataset.batch(Split.VALID, index, config.config().getSchedule().getEvalBatchSize(), false);
  }

  /** The reward of one sampled child on the {@code index}-th validation batch. */
  private double score(SampledChild sampled, long index) {
    Graph child = sampled.child();
    Evaluation e = backend.evaluate(child, validBatch(index));
    return reward.reward(new ChildMetrics(e.loss(), e.accuracy(), child.parameterCount(), e.millis()));
  }

  private void checkpoint(CheckpointStore store, int epoch, RunProgress progress, EpochStats stats) throws IOException {
    Map<String, Map.Entry<String, CheckpointStore.Part>> parts = new LinkedHashMap<>();
    parts.put(WEIGHTS, new AbstractMap.SimpleEntry<>("shared-weights", f -> backend.save(f, spaceId())));
    parts.put(CONTROLLER, new AbstractMap.SimpleEntry<>("controller", f -> Files.write(f, controller.saveState())));
    parts.put(PROGRESS, new AbstractMap.SimpleEntry<>("progress", f -> Files.write(f, progress.toByteArray())));
    parts.put("epoch-stats.pb", new AbstractMap.SimpleEntry<>("epoch-stats", f -> Files.write(f, stats.toProto().toByteArray())));
    store.write(epoch, progress.getChildSteps(), spaceId(), backendId(), config.config(), parts);
  }

  private void restore(CheckpointStore.Checkpoint cp, RunProgress.Builder at) throws IOException {
    cp.requireSpace(spaceId());
    cp.switchedFrom(backendId()).ifPresent(notices);
    backend.load(cp.file(WEIGHTS), spaceId());
    controller.restoreState(Files.readAllBytes(cp.file(CONTROLLER)));
    at.mergeFrom(RunProgress.parseFrom(Files.readAllBytes(cp.file(PROGRESS))));
  }

  /**
   * A run without checkpoints starts from epoch 1, which cuts its event log to nothing: refused when the log shows
   * that the search went past its first checkpoint (so the checkpoints were removed, not yet to be written).
   */
  private static void requireNoLostCheckpoints(RunDirectory run, Schedule s, String remedy) throws IOException {
    Path log = run.resolve(EventLog.FILE);
    if (!Files.exists(log) || Files.size(log) == 0) {
      return;
    }
    int last = -1;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(log))) {
      Event e;
      while ((e = Event.parseDelimitedFrom(in)) != null) {
        last = Math.max(last, e.getEpoch());
      }
    } catch (InvalidProtocolBufferException e) {
      // the last event may be cut short by a kill; what was read before it counts
    }
    int every = Math.max(1, s.getCheckpointEveryEpochs());
    if (last >= every) {
      throw new CheckpointException(run.path() + " has no checkpoint, but its " + EventLog.FILE + " records epoch "
          + (last + 1) + ", after the first checkpoint was written (every " + every + " epochs): the checkpoints "
          + "were removed. Starting again from epoch 1 would replace its events, so it is refused. " + remedy);
    }
    LOG.info("{} has no checkpoint yet; the search starts from epoch 1", run.path());
  }

  private static Event.Builder event(int epoch, long step) {
    return Event.newBuilder().setUnixMillis(System.currentTimeMillis()).setEpoch(epoch).setStep(step);
  }

  /** What one epoch's controller phase found. */
  static final class EpochStats {
    double childLoss;
    double meanReward;
    double bestReward = Double.NEGATIVE_INFINITY;
    String bestArch = "";

    SearchSummary toProto() {
      return SearchSummary.newBuilder().setLastMeanChildLoss(childLoss).setLastMeanReward(meanReward)
          .setBestReward(bestReward).setBestArchString(bestArch).build();
    }

    static EpochStats fromCheckpoint(Optional<CheckpointStore.Checkpoint> cp) throws IOException {
      EpochStats s = new EpochStats();
      if (cp.isPresent()) {
        SearchSummary p = SearchSummary.parseFrom(Files.readAllBytes(cp.get().file("epoch-stats.pb")));
        s.childLoss = p.getLastMeanChildLoss();
        s.meanReward = p.getLastMeanReward();
        s.bestReward = p.getBestReward();
        s.bestArch = p.getBestArchString();
      }
      return s;
    }
  }
}
