package dev.enas.plugins.backend.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.BatchNormEval;
import dev.enas.support.backend.BatchLayout;
import dev.enas.support.backend.StoreBackedBackend;
import dev.enas.support.random.SplitMix64;
import dev.enas.support.weights.ChildOptimizer;
import dev.enas.support.weights.MovingAverages;
import dev.enas.support.weights.SharedWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch backend: each step runs the child eagerly with libtorch's autograd ({@link EagerChild}), so a new child
 * costs nothing to build. Shared tensors live in the same Java-side store as the TensorFlow backend's, keyed by
 * parameter key; each step copies in the tensors the child reads, takes their gradients back and updates exactly those
 * with the same child optimiser, and every native array of a step lives in one manager closed at its end.
 */
final class PyTorchBackend extends StoreBackedBackend {
  private final BackendSettings settings;
  private final long seed;
  private final ChildOptimizer optimizer;
  private final NDManager base;
  private final String device;
  /** Runs between forward and backward; tests put a garbage collection there (see EagerChild.scalar). */
  Runnable beforeBackward = () -> { };

  PyTorchBackend(BackendSettings settings, long seed) {
    super(PyTorchBackendProvider.ID, seed);
    this.settings = settings;
    this.seed = seed;
    Engine engine = Torch.engine(settings.interOpThreads());
    Torch.intraOpThreads(settings.intraOpThreads());
    Device d = Torch.device(engine, settings.useGpu());
    this.base = engine.newBaseManager(d);
    this.device = Torch.describe(engine, d, settings.intraOpThreads());
    this.optimizer = new ChildOptimizer(settings.optimizer());
  }

  /** On the steps that record ops, libtorch's own profiler runs; its trace is read back by {@link TorchProfile}. */
  private void startTorchProfile() {
    if (profile != null && profile.recordingOps()) {
      JniUtils.startProfile(false, false, false);
    }
  }

  private void stopTorchProfile() {
    if (profile == null || !profile.recordingOps()) {
      return;
    }
    try {
      Path trace = Files.createTempFile("enas-torch-profile", ".json");
      try {
        JniUtils.stopProfile(trace.toString());
        TorchProfile.addTo(profile, trace);
      } finally {
        Files.deleteIfExists(trace);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading libtorch's profile: " + e.getMessage(), e);
    }
  }

  @Override
  protected String profileNote() {
    return "op types from libtorch's profiler, self time (an op's time less the ops it called), over every thread";
  }

  @Override
  public String device() {
    return device;
  }

  /** One step; the reported loss includes each auxiliary head's weighted cross-entropy. */
  @Override
  public synchronized TrainResult train(Graph child, Batch batch, double learningRate, double progress) {
    checkStep(learningRate, progress);
    if (profile != null) {
      profile.start();
      startTorchProfile();
    }
    Graph net = BatchLayout.live(child);
    BatchLayout layout = BatchLayout.checked(net, batch);
    boolean gradMode = JniUtils.isGradMode();
    boolean stopped = false;
    JniUtils.setGradMode(true);
    try (NDManager m = base.newSubManager()) {
      EagerChild run = new EagerChild(m, weights, net, true, true, settings.bnEpsilon(), noiseSeed(), progress);
      EagerChild.Result out = run.run(net, layout, batch);
      if (profile != null) {
        profile.lap("forward: weights to libtorch, eager ops");
      }
      if (!Double.isFinite(out.lossValue())) {
        throw new IllegalStateException("the training loss is " + out.lossValue() + " at step " + step
            + "; lower the learning rate (it was " + learningRate + ")");
      }
      beforeBackward.run();
      JniUtils.backward((PtNDArray) out.loss(), (PtNDArray) m.ones(out.loss().getShape()), false, false);
      if (profile != null) {
        profile.lap("backward: libtorch autograd");
      }
      List<SharedWeights.Entry> params = new ArrayList<>();
      List<float[]> grads = new ArrayList<>();
      List<ParamSpec> specs = new ArrayList<>();
      for (Map.Entry<ParamKey, NDArray> e : run.params().entrySet()) {
        ParamSpec spec = run.spec(e.getKey());
        if (spec.trainable()) {
          params.add(weights.entry(spec));
          grads.add(gradient(e.getValue(), spec));
          specs.add(spec);
        }
      }
      if (profile != null) {
        profile.lap("gradients to Java");
      }
      optimizer.step(params, grads.toArray(new float[0][]), ChildOptimizer.decayed(specs), learningRate);
      if (profile != null) {
        profile.lap("optimizer step (Java)");
      }
      List<ParamKey> keys = new ArrayList<>();
      List<float[]> means = new ArrayList<>();
      List<float[]> variances = new ArrayList<>();
      for (EagerChild.Stats s : run.stats()) {
        keys.add(s.key());
        means.add(s.mean());
        variances.add(s.variance());
      }
      MovingAverages.update(weights, keys, means.toArray(new float[0][]), variances.toArray(new float[0][]),
          settings.bnDecay());
      stepDone();
      if (profile != null) {
        profile.lap("batch-norm averages, bookkeeping");
        profile.stepDone();
      }
      stopped = true;
      stopTorchProfile();
      return new TrainResult(out.lossValue(), out.accuracy(), out.state());
    } finally {
      JniUtils.setGradMode(gradMode);
      if (!stopped) {
        stopTorchProfile(); // a failed step leaves libtorch's profiler stopped too
      }
    }
  }

  /** The gradient of a leaf; zeros when the loss does not depend on it (a state output's last application). */
  private static float[] gradient(NDArray p, ParamSpec spec) {
    if (!p.hasGradient()) {
      return new float[Math.toIntExact(spec.shape().size())];
    }
    try (NDArray g = p.getGradient()) {
      float[] v = g.toFloatArray();
      return v.length == spec.shape().size() ? v : new float[Math.toIntExact(spec.shape().size())];
    } catch (IllegalStateException | NullPointerException e) {
      return new float[Math.toIntExact(spec.shape().size())];
    }
  }

  /** The seed of this step's dropout and drop-path masks: the backend's seed and the step counter. */
  private long noiseSeed() {
    return SplitMix64.mix(seed * 0x9e3779b97f4a7c15L + step);
  }

  @Override
  public synchronized Evaluation evaluate(Graph child, Batch batch) {
    checkOpen();
    long start = System.nanoTime();
    Graph net = BatchLayout.withoutAuxOutputs(BatchLayout.live(child));
    BatchLayout layout = BatchLayout.checked(net, batch);
    boolean batchStats = settings.bnEval() == BatchNormEval.BATCH_STATISTICS;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = base.newSubManager()) {
      EagerChild.Result out = new EagerChild(m, weights, net, false, batchStats, settings.bnEpsilon(), noiseSeed(), 0)
          .run(net, layout, batch);
      return new Evaluation(out.lossValue(), out.accuracy(), batch.size(), (System.nanoTime() - start) / 1e6,
          out.state());
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  BackendSettings settings() {
    return settings;
  }

  @Override
  protected void release() {
    base.close();
  }
}
