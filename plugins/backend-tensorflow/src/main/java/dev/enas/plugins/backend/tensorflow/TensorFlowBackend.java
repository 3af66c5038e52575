package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.BatchNormEval;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import java.util.IdentityHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import dev.enas.support.backend.BatchLayout;
import dev.enas.support.weights.ChildOptimizer;
import dev.enas.support.weights.MovingAverages;
import dev.enas.support.backend.StoreBackedBackend;
import dev.enas.support.weights.SharedWeights;
import org.tensorflow.proto.ConfigProto;

/**
 * The TensorFlow backend: on the CPU a child made from a supernet runs on one graph of that supernet with its choices
 * fed as gates ({@link SupernetLowering}); any other child is compiled to a small graph and session of its own (cached
 * by structure), and children announced with {@link #prepare} are compiled on background threads
 * ({@link ChildCompiler}) while earlier children train or are evaluated. Shared tensors live in one Java-side store
 * keyed by parameter key and are fed in each run, and the child optimiser updates only the tensors the child read.
 */
final class TensorFlowBackend extends StoreBackedBackend {
  private final BackendSettings settings;
  private final long seed;
  private final ConfigProto config;
  private final ChildOptimizer optimizer;
  private final ChildCache cache;
  private final ChildCompiler compiler;
  private final String device;
  /** Whether children of a supernet run on its graph: SUPERNET, or AUTO on the CPU (where it was measured). */
  private final boolean supernetGraphs;
  /** Per supernet (by identity), its compiled whole-supernet graphs by mode and layout. */
  private final Map<Graph, Map<String, CompiledChild>> supernets = new IdentityHashMap<>();
  /** Supernets that cannot run as one graph, with the reason. */
  private final Map<Graph, String> unsupported = new IdentityHashMap<>();

  TensorFlowBackend(BackendSettings settings, long seed) {
    super(TensorFlowBackendProvider.ID, seed);
    this.settings = settings;
    this.seed = seed;
    this.config = SessionConfig.of(settings);
    this.optimizer = new ChildOptimizer(settings.optimizer());
    this.cache = new ChildCache(settings.cacheSize());
    this.compiler = settings.compileThreads() > 0 && settings.cacheSize() > 0
        ? new ChildCompiler(settings.compileThreads()) : null;
    String probed = DeviceProbe.describe(settings);
    this.supernetGraphs = settings.execution() == Execution.SUPERNET
        || settings.execution() == Execution.AUTO && !probed.startsWith("GPU");
    this.device = probed + (supernetGraphs ? "; search children on one supernet graph" : "; a graph per child");
  }

  @Override
  protected String profileNote() {
    return "op types: kernel times from TensorFlow's step stats (a full trace, taken on other steps than the phases "
        + "because it doubles the session run); with one inter-op thread the kernels run one after another, so the "
        + "session run less the sum of ops is the executor's own time between kernels";
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
    }
    Graph net = BatchLayout.live(child);
    BatchLayout layout = BatchLayout.checked(net, batch);
    long[] noiseSeed = {seed, step};
    CompiledChild whole = supernet(net, layout, true);
    CompiledChild.Fetched out;
    if (whole != null) {
      SupernetLowering.ChildView view = SupernetLowering.ChildView.of(net);
      out = runAndUpdate(whole, batch, noiseSeed, progress, learningRate, whole.gates(view), view.params());
    } else {
      // Progress is fed, not compiled in, so one compiled child serves every step of a schedule.
      Compilation compilation = forTraining(net, layout);
      out = cache.with(compilation.key(), takeOr(compilation),
          c -> runAndUpdate(c, batch, noiseSeed, progress, learningRate, null, null));
    }
    stepDone();
    return new TrainResult(out.loss(), out.accuracy(), out.state());
  }

  /**
   * The whole-supernet graph for the child's supernet in training or evaluation mode, compiled on first use; null
   * when the child runs on a graph of its own: always under {@code PER_CHILD}; under {@code AUTO} on a GPU (not yet
   * measured there) and for a child that cannot run on its supernet's graph (not made by {@link Graph#resolve}, a
   * supernet form the lowering does not handle). Under {@code SUPERNET} such a child is an error that says why.
   */
  private CompiledChild supernet(Graph child, BatchLayout layout, boolean training) {
    if (!supernetGraphs) {
      return null;
    }
    boolean strict = settings.execution() == Execution.SUPERNET;
    if (child.origin().isEmpty()) {
      if (!strict) {
        return null;
      }
      throw new IllegalArgumentException("execution: SUPERNET runs children made by SearchSpace.child or "
          + "Graph.resolve; this one is a hand-built graph (use execution: AUTO or PER_CHILD to compile such "
          + "children on their own)");
    }
    Graph whole = child.origin().get().supernet();
    if (!whole.hasChoices()) {
      return null; // its only child is itself: the per-child graph is that one graph, compiled once and cached
    }
    String reason = unsupported.get(whole);
    if (reason == null) {
      boolean batchStats = training || settings.bnEval() == BatchNormEval.BATCH_STATISTICS;
      String mode = (training ? "train" : batchStats ? "eval-batch-stats" : "eval") + "|" + layout;
      Map<String, CompiledChild> modes = supernets.computeIfAbsent(whole, g -> new HashMap<>());
      CompiledChild c = modes.get(mode);
      if (c != null) {
        return c;
      }
      try {
        c = new CompiledChild(training ? whole : BatchLayout.withoutAuxOutputs(whole), layout, training, batchStats,
            settings.bnEpsilon(), config);
        modes.put(mode, c);
        return c;
      } catch (SupernetLowering.Unsupported e) {
        reason = e.getMessage();
        unsupported.put(whole, reason);
      }
    }
    if (!strict) {
      return null;
    }
    throw new IllegalArgumentException("execution: SUPERNET: this supernet cannot run as one graph (" + reason
        + "); use execution: AUTO or PER_CHILD to compile each child on its own");
  }

  /** Whether the child would run on its supernet's graph, as far as is known before compiling that graph. */
  private boolean onSupernet(Graph child) {
    return supernetGraphs && child.origin().isPresent() && child.origin().get().supernet().hasChoices()
        && !unsupported.containsKey(child.origin().get().supernet());
  }

  /** A compiled child's cache key (mode, layout, structure) and how to compile it. */
  private record Compilation(String key, Supplier<CompiledChild> compile) {}

  private Compilation forTraining(Graph net, BatchLayout layout) {
    return new Compilation(key("train", layout, net),
        () -> new CompiledChild(net, layout, true, true, settings.bnEpsilon(), config));
  }

  /** {@code net} without auxiliary outputs; batch norm as {@code bn_eval} says. */
  private Compilation forEvaluation(Graph net, BatchLayout layout) {
    boolean batchStats = settings.bnEval() == BatchNormEval.BATCH_STATISTICS;
    return new Compilation(key(batchStats ? "eval-batch-stats" : "eval", layout, net),
        () -> new CompiledChild(net, layout, false, batchStats, settings.bnEpsilon(), config));
  }

  /** The compiled child the background compiler holds for the key, or one compiled now. */
  private Supplier<CompiledChild> takeOr(Compilation c) {
    return () -> (compiler == null ? Optional.<CompiledChild>empty() : compiler.take(c.key())).orElseGet(c.compile());
  }

  /**
   * Compiles the child for training or evaluation on a background thread, for batches like {@code like}, and runs
   * it once on zeros so its first real use finds the executor built. A child or batch that cannot be compiled is
   * left to {@link #train} or {@link #evaluate}, which report why.
   */
  @Override
  public synchronized void prepare(Graph child, Batch like, Use use) {
    checkOpen();
    if (compiler == null) {
      return;
    }
    Compilation compilation;
    try {
      Objects.requireNonNull(like, "like");
      Graph full = BatchLayout.live(child);
      if (onSupernet(full)) {
        return; // it runs on its supernet's graph: nothing to compile per child
      }
      if (use == Use.TRAINING) {
        compilation = forTraining(full, BatchLayout.of(full, like));
      } else {
        Graph net = BatchLayout.withoutAuxOutputs(full);
        compilation = forEvaluation(net, BatchLayout.of(net, like));
      }
    } catch (RuntimeException e) {
      return;
    }
    if (cache.contains(compilation.key())) {
      return;
    }
    compiler.submit(compilation.key(), () -> {
      CompiledChild c = compilation.compile().get();
      try {
        c.warmUp();
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    });
  }

  /** One child per compile thread, and the one about to be used. */
  @Override
  public int prepareAhead() {
    return compiler == null ? 0 : compiler.depth();
  }

  /**
   * Runs a training step and updates the tensors the child read. {@code used} is null for a child's own graph (it
   * reads only its own tensors); for a supernet graph it names the child's tensors, and only those are updated.
   */
  private CompiledChild.Fetched runAndUpdate(CompiledChild c, Batch batch, long[] noiseSeed, double progress,
      double learningRate, boolean[] gates, Set<ParamKey> used) {
    if (profile != null) {
      profile.lap("graph: find or compile");
    }
    List<float[]> vals = values(c.fed());
    if (profile != null) {
      profile.lap("store: the child's tensors");
    }
    CompiledChild.Fetched out = c.run(batch, vals, noiseSeed, progress, gates, used, profile);
    if (!Double.isFinite(out.loss())) {
      throw new IllegalStateException("the training loss is " + out.loss() + " at step " + step
          + "; lower the learning rate (it was " + learningRate + ")");
    }
    List<SharedWeights.Entry> params = new ArrayList<>();
    List<float[]> grads = new ArrayList<>();
    List<ParamSpec> specs = new ArrayList<>();
    for (int i = 0; i < c.trainable().size(); i++) {
      ParamSpec p = c.trainable().get(i);
      if (used == null || used.contains(p.key())) {
        params.add(weights.entry(p));
        grads.add(out.gradients()[i]);
        specs.add(p);
      }
    }
    optimizer.step(params, grads.toArray(new float[0][]), ChildOptimizer.decayed(specs), learningRate);
    if (profile != null) {
      profile.lap("optimizer step (Java)");
    }
    List<ParamKey> statKeys = new ArrayList<>();
    List<float[]> means = new ArrayList<>();
    List<float[]> variances = new ArrayList<>();
    for (int i = 0; i < c.statKeys().size(); i++) {
      ParamKey k = c.statKeys().get(i);
      if (used == null || used.contains(k.child("scale"))) {
        statKeys.add(k);
        means.add(out.means()[i]);
        variances.add(out.variances()[i]);
      }
    }
    MovingAverages.update(weights, statKeys, means.toArray(new float[0][]), variances.toArray(new float[0][]),
        settings.bnDecay());
    if (!supernets.isEmpty()) {
      // Written in place: every supernet graph that keeps its fed vector between runs must feed them again.
      List<ParamKey> written = new ArrayList<>(statKeys.size() * 2 + params.size());
      for (int i = 0; i < c.trainable().size(); i++) {
        if (used == null || used.contains(c.trainable().get(i).key())) {
          written.add(c.trainable().get(i).key());
        }
      }
      for (ParamKey k : statKeys) {
        written.add(k.child("moving_mean"));
        written.add(k.child("moving_variance"));
      }
      for (Map<String, CompiledChild> modes : supernets.values()) {
        for (CompiledChild graph : modes.values()) {
          graph.changed(written);
        }
      }
    }
    if (profile != null) {
      profile.lap("batch-norm averages, bookkeeping");
      profile.stepDone();
    }
    return out;
  }

  @Override
  public synchronized Evaluation evaluate(Graph child, Batch batch) {
    checkOpen();
    long start = System.nanoTime();
    Graph full = BatchLayout.live(child);
    Graph net = BatchLayout.withoutAuxOutputs(full);
    BatchLayout layout = BatchLayout.checked(net, batch);
    CompiledChild whole = supernet(full, layout, false);
    CompiledChild.Fetched out;
    if (whole != null) {
      boolean[] gates = whole.gates(SupernetLowering.ChildView.of(full));
      out = whole.run(batch, values(whole.fed()), new long[] {seed, step}, 0.0, gates);
    } else {
      Compilation compilation = forEvaluation(net, layout);
      out = cache.with(compilation.key(), takeOr(compilation),
          c -> c.run(batch, values(c.fed()), new long[] {seed, step}, 0.0, null));
    }
    return new Evaluation(out.loss(), out.accuracy(), batch.size(), (System.nanoTime() - start) / 1e6, out.state());
  }

  /** A SavedModel of the child with the weights held now ({@link SavedModelExport}). */
  @Override
  public synchronized void exportModel(Graph child, Batch like, java.nio.file.Path dir) throws java.io.IOException {
    checkOpen();
    SavedModelExport.write(child, like, dir, spec -> weights.entry(spec).values,
        settings.bnEval() == BatchNormEval.BATCH_STATISTICS, settings.bnEpsilon());
  }

  private List<float[]> values(List<ParamSpec> specs) {
    List<float[]> v = new ArrayList<>(specs.size());
    for (ParamSpec p : specs) {
      v.add(weights.entry(p).values);
    }
    return v;
  }

  /** The cache key: the mode, the layout and the child's whole structure (ops, their keys and shapes, wiring). */
  static String key(String mode, BatchLayout layout, Graph child) {
    StringBuilder b = new StringBuilder(mode).append('|').append(layout).append('|');
    for (Node n : child.nodes()) {
      Node.OpNode o = (Node.OpNode) n;
      b.append(o.id()).append('=').append(o.op()).append(o.inputs()).append(';');
    }
    return b.append("->").append(child.outputs()).toString();
  }

  ChildCache cache() {
    return cache;
  }

  BackendSettings settings() {
    return settings;
  }

  /** The background compiler, or null when compile_threads is 0. */
  ChildCompiler compiler() {
    return compiler;
  }

  @Override
  protected void release() {
    if (compiler != null) {
      compiler.close();
    }
    cache.close();
    supernets.values().forEach(modes -> modes.values().forEach(CompiledChild::close));
    supernets.clear();
  }
}
