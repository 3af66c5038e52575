package dev.enas.plugins.backend.tensorflow;

import dev.enas.support.backend.BatchLayout;
import dev.enas.support.backend.PhaseClock;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One child compiled to its own small TensorFlow graph and session: shared tensors are fed in, the loss, accuracy
 * and (for training) the gradients and batch-norm statistics are fetched. In training the loss is the main
 * cross-entropy plus each auxiliary head's weighted cross-entropy ({@link dev.enas.api.ir.Op.AuxLogits}); accuracy
 * is the main logits'. Closing it frees the native graph and session.
 */
final class CompiledChild implements AutoCloseable {

  /** What one run fetched. Gradients are in {@link #trainable()} order, statistics in {@link #statKeys()} order. */
  /** @param state a token batch's state after its last step, row-major; null without one */
  record Fetched(double loss, double accuracy, float[][] gradients, float[][] means, float[][] variances,
      float[] state) {}

  private final org.tensorflow.Graph graph;
  private final Session session;
  private final RunOptions runOptions;
  private final BatchLayout layout;
  private final Placeholder<?> data;
  private final Placeholder<TFloat32> state0;
  /** The state after a token batch's last step, fetched after the loss; null without a state. */
  private Output<TFloat32> finalState;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TInt64> noiseSeed;
  private final Placeholder<TFloat32> progress;
  private final int[] imageDims;
  private final List<ParamSpec> fed = new ArrayList<>();
  private final List<Operand<TFloat32>> fedPlaceholders = new ArrayList<>();
  /** A supernet graph's shared tensors, fed as one vector (see {@link ChildLowering#feedFlat}). */
  private Placeholder<TFloat32> flatWeights;
  /** The fed vector, kept between runs: a step rewrites only the slices whose store arrays changed. */
  private FlatFeed flatFeed;
  private final List<ParamSpec> trainable = new ArrayList<>();
  private final Output<TFloat32> loss;
  private final Output<TFloat32> accuracy;
  private final Output<?>[] gradients;
  private final List<ParamKey> statKeys = new ArrayList<>();
  private final List<Output<TFloat32>> statMeans = new ArrayList<>();
  private final List<Output<TFloat32>> statVariances = new ArrayList<>();
  /** A supernet graph's statistics: each variant's channel count, in statKeys() order (fetched as one vector). */
  private final List<Long> statSizes = new ArrayList<>();
  /** Set when the graph is a whole supernet: its gates say which child a run computes. */
  private final SupernetLowering supernet;

  /**
   * Builds the graph and session.
   *
   * @param training whether to add gradients, batch-statistics fetches and auxiliary losses, and to make dropout and
   *     drop-path active
   * @param batchStatistics whether batch norm uses the batch's statistics (always true in training)
   */
  CompiledChild(Graph child, BatchLayout layout, boolean training, boolean batchStatistics, double bnEpsilon,
      ConfigProto config) {
    this.layout = layout;
    this.graph = new org.tensorflow.Graph();
    try {
      Ops tf = Ops.create(graph);
      ChildLowering lowering = new ChildLowering(tf, child, training, batchStatistics || training, training,
          bnEpsilon);
      this.supernet = child.hasChoices() ? new SupernetLowering(tf, child, lowering) : null;
      if (supernet != null) {
        ControlFlowGradients.register();
        flatWeights = tf.withName("weights").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        lowering.feedFlat(flatWeights);
      }
      Operand<TFloat32> logits;
      List<Operand<TFloat32>> auxLogits = new ArrayList<>();
      List<Double> auxWeights = new ArrayList<>();
      Operand<TFloat32> penalty = null;
      if (!layout.tokens()) {
        int[] d = ((dev.enas.api.ir.Op.Input) child.inputNodes().get(0).op()).shape().dims();
        this.imageDims = d;
        Placeholder<TFloat32> images = tf.withName(BatchLayout.IMAGES).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, d[0], d[1], d[2])));
        this.data = images;
        this.state0 = null;
        lowering.examplesFrom(images);
        List<Operand<?>> outputs;
        if (supernet != null) {
          supernet.batchFrom(images);
          outputs = supernet.apply(child.outputs(), Map.of(BatchLayout.IMAGES, images));
        } else {
          outputs = lowering.apply(child, Map.of(BatchLayout.IMAGES, images));
        }
        logits = ChildLowering.f(outputs.get(0));
        for (int i = 1; i < outputs.size(); i++) {
          // BatchLayout admits further outputs of an image classifier only when they are auxiliary logits.
          dev.enas.api.ir.Op.AuxLogits aux = BatchLayout.auxLogits(child, i);
          if (training) {
            auxLogits.add(ChildLowering.f(outputs.get(i)));
            auxWeights.add(aux.lossWeight());
          }
        }
      } else {
        this.imageDims = null;
        Placeholder<TInt32> tokens = tf.withName(BatchLayout.TOKENS).placeholder(TInt32.class,
            Placeholder.shape(Shape.of(-1, layout.steps())));
        this.data = tokens;
        lowering.examplesFrom(tokens);
        if (supernet != null) {
          supernet.batchFrom(tokens);
        }
        this.state0 = layout.stateWidth() > 0
            ? tf.withName(BatchLayout.STATE).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1,
                layout.stateWidth())))
            : null;
        SequenceLowering.Result seq = SequenceLowering.lower(tf, child, tokens, state0, layout.steps(),
            (outputs, in, given) -> apply(lowering, child, outputs, in, given));
        logits = seq.logits();
        finalState = seq.state() == null ? null : seq.state().asOutput();
        if (training && seq.activations() != null) {
          penalty = SequenceLowering.penalty(tf, BatchLayout.penalised(child).orElseThrow().penalty(),
              seq.activations(), layout.steps());
        }
      }
      this.labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(layout.classes()), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> total = crossEntropy(tf, logits, oneHot);
      for (int i = 0; i < auxLogits.size(); i++) {
        Operand<TFloat32> weighted = tf.math.mul(crossEntropy(tf, auxLogits.get(i), oneHot),
            tf.constant(auxWeights.get(i).floatValue()));
        total = tf.math.add(total, weighted);
      }
      this.loss = total.asOutput();
      // The penalty joins what the gradients descend, not the reported loss (the cross-entropy, as enas_lm reports).
      Output<TFloat32> objective = penalty == null ? loss : tf.math.add(total, penalty).asOutput();
      Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
      this.accuracy = tf.math.mean(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0))
          .asOutput();
      for (Map.Entry<ParamKey, Operand<TFloat32>> e : lowering.params().entrySet()) {
        fed.add(lowering.spec(e.getKey()));
        fedPlaceholders.add(e.getValue());
      }
      this.noiseSeed = lowering.noiseSeed();
      this.progress = lowering.progress();
      if (training) {
        List<Output<?>> xs = new ArrayList<>();
        for (int i = 0; i < fed.size(); i++) {
          if (fed.get(i).trainable()) {
            trainable.add(fed.get(i));
            xs.add(fedPlaceholders.get(i).asOutput());
          }
        }
        Output<?>[] grads = xs.isEmpty() ? new Output<?>[0] : graph.addGradients(objective, xs.toArray(new Output<?>[0]));
        if (supernet != null && grads.length > 0) {
          // A supernet's gradients are alive only for the tensors the child reads: one fetch of those, flattened and
          // concatenated in trainable() order (the others contribute nothing).
          List<Operand<TFloat32>> flat = new ArrayList<>();
          for (int i = 0; i < grads.length; i++) {
            flat.add(supernet.flatWhenUsed(f(grads[i]), trainable.get(i).key()));
          }
          grads = new Output<?>[] {tf.concat(flat, tf.constant(0)).asOutput()};
        }
        this.gradients = grads;
        List<Operand<TFloat32>> flatMeans = new ArrayList<>();
        List<Operand<TFloat32>> flatVariances = new ArrayList<>();
        for (ChildLowering.BatchStats s : lowering.batchStats()) {
          if (supernet == null) {
            statKeys.add(s.key());
            statMeans.add(s.mean());
            statVariances.add(s.variance());
            continue;
          }
          for (ParamKey key : supernet.batchNormVariants(s.key())) {
            ParamKey scale = key.child("scale");
            statKeys.add(key);
            statSizes.add(lowering.spec(scale).shape().size());
            flatMeans.add(supernet.flatWhenUsed(s.mean(), scale));
            flatVariances.add(supernet.flatWhenUsed(s.variance(), scale));
          }
        }
        if (!flatMeans.isEmpty()) {
          // As the gradients: one fetch each of the statistics of the variants the child uses, concatenated in
          // statKeys() order (a fetch per variant was ~4,000 small fetches per step of a micro supernet).
          statMeans.add(tf.concat(flatMeans, tf.constant(0)).asOutput());
          statVariances.add(tf.concat(flatVariances, tf.constant(0)).asOutput());
        }
      } else {
        this.gradients = new Output<?>[0];
      }
      if (supernet != null) {
        // Fed in creation order, the order of their slices of the flat vector, including any tensor read first above.
        fed.clear();
        fedPlaceholders.clear();
        for (Map.Entry<ParamKey, Operand<TFloat32>> e : lowering.params().entrySet()) {
          fed.add(lowering.spec(e.getKey()));
          fedPlaceholders.add(e.getValue());
        }
      }
      this.session = new Session(graph, config);
      this.runOptions = SessionConfig.runOptions(config);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Runs the graph once on a one-example batch of zeros with zero weights and discards the result, so that the
   * session's executor for {@link #run}'s feeds and fetches exists before the first real step: TensorFlow builds it
   * on the first run (pruning, placement, kernel creation), which costs as much as a small child's whole step. Reads
   * no shared state, so it may run on any thread.
   */
  void warmUp() {
    Batch one;
    if (imageDims != null) {
      one = new Batch.Images(1, dev.enas.api.ir.TensorShape.of(imageDims),
          new float[imageDims[0] * imageDims[1] * imageDims[2]], new int[1]);
    } else {
      one = new Batch.Tokens(1, layout.steps(), new int[layout.steps()], new int[layout.steps()]);
    }
    List<float[]> zeros = new ArrayList<>(fed.size());
    for (ParamSpec p : fed) {
      zeros.add(new float[Math.toIntExact(p.shape().size())]);
    }
    run(one, zeros, new long[] {0, 0}, 0.0, null);
  }

  /** Applies the graph to named inputs, with some nodes' values given, computing the listed nodes. */
  private List<Operand<?>> apply(ChildLowering lowering, Graph child, List<String> outputs, Map<String, Operand<?>> in,
      Map<String, Operand<?>> given) {
    return supernet != null ? supernet.apply(outputs, in, given)
        : dev.enas.support.backend.GraphWalk.apply(child, outputs, given,
            (op, x, shapes) -> lowering.lower(op, x, shapes, in));
  }

  /** Whether this graph is a whole supernet, run with {@link #gates} for each child. */
  boolean isSupernet() {
    return supernet != null;
  }

  /** The gate values that make a supernet graph compute this child. */
  boolean[] gates(SupernetLowering.ChildView child) {
    return supernet.gates(child);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> f(Output<?> x) {
    return (Operand<TFloat32>) x;
  }

  /** Mean softmax cross-entropy of logits {@code [batch, classes]} against one-hot labels. */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
    // -Σ onehot · log softmax, not SoftmaxCrossEntropyWithLogits: that op has no deterministic GPU kernel, so with
    // TF_DETERMINISTIC_OPS=1 a GPU run refused it; these ops have deterministic kernels and C++ gradients.
    Operand<TFloat32> perExample = tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)),
        tf.constant(1)));
    return tf.math.mean(perExample, tf.constant(0));
  }

  /** The trainable tensors whose gradients {@link #run} returns, in order. */
  List<ParamSpec> trainable() {
    return trainable;
  }

  /** Every shared tensor the graph reads. */
  List<ParamSpec> fed() {
    return fed;
  }

  /** The batch-norm keys whose statistics {@link #run} returns, in order; a key may repeat (unrolled cells). */
  List<ParamKey> statKeys() {
    return statKeys;
  }

  /**
   * Runs the graph on a batch with the given values for {@link #fed()}.
   *
   * @param noiseSeed two longs that fix every dropout and drop-path mask of this run
   * @param progress the fraction of training done, in [0, 1]; it scales the drop-path rates
   * @param gates for a supernet graph, {@link #gates} of the child to compute; else null
   */
  Fetched run(Batch batch, List<float[]> values, long[] noiseSeed, double progress, boolean[] gates) {
    return run(batch, values, noiseSeed, progress, gates, null, null);
  }

  /**
   * As {@link #run(Batch, List, long[], double, boolean[])}; a supernet graph's run returns only the gradients of the
   * tensors in {@code used} (the child's; the others are null), and records its phases and TensorFlow's ops (a full
   * trace, on the profile's op-recording steps) in {@code clock} when that is not null.
   */
  Fetched run(Batch batch, List<float[]> values, long[] noiseSeed, double progress, boolean[] gates,
      java.util.Set<ParamKey> used, PhaseClock clock) {
    Feeds feeds = new Feeds();
    try {
      Session.Runner runner = session.runner();
      runner.setOptions(runOptions);
      if (batch instanceof Batch.Images b) {
        int[] d = b.shape().dims();
        feeds.add(runner, data, TFloat32.tensorOf(Shape.of(b.size(), d[0], d[1], d[2]),
            DataBuffers.of(b.pixels(), true, false)));
        feeds.add(runner, labels, TInt32.tensorOf(Shape.of(b.size()), DataBuffers.of(b.labels(), true, false)));
      } else {
        Batch.Tokens b = (Batch.Tokens) batch;
        feeds.add(runner, data, TInt32.tensorOf(Shape.of(b.size(), b.steps()), DataBuffers.of(b.inputs(), true, false)));
        // The unrolled logits are step-major ([t][example]); reorder the row-major targets to match.
        int[] targets = new int[b.targets().length];
        for (int i = 0; i < b.size(); i++) {
          for (int t = 0; t < b.steps(); t++) {
            targets[t * b.size() + i] = b.targets()[i * b.steps() + t];
          }
        }
        feeds.add(runner, labels, TInt32.tensorOf(Shape.of(targets.length), DataBuffers.of(targets, true, false)));
        if (state0 != null) {
          // The carried state, or zeros (written: a fresh tensor's memory is not zeroed).
          float[] start = b.state() != null ? b.state() : new float[b.size() * layout.stateWidth()];
          if (start.length != b.size() * layout.stateWidth()) {
            throw new IllegalArgumentException("the carried state has " + start.length + " floats; this model's is "
                + b.size() + " x " + layout.stateWidth());
          }
          feeds.add(runner, state0, TFloat32.tensorOf(Shape.of(b.size(), layout.stateWidth()),
              DataBuffers.of(start, true, false)));
        }
      }
      if (supernet != null) {
        feeds.add(runner, supernet.gateInput(), org.tensorflow.types.TBool.vectorOf(gates));
      }
      if (this.noiseSeed != null) {
        feeds.add(runner, this.noiseSeed, TInt64.vectorOf(noiseSeed));
      }
      if (this.progress != null) {
        feeds.add(runner, this.progress, TFloat32.scalarOf((float) progress));
      }
      if (flatWeights != null) {
        if (flatFeed == null) {
          flatFeed = new FlatFeed(fed);
        }
        runner.feed(flatWeights, flatFeed.update(values));
      } else {
        for (int i = 0; i < fed.size(); i++) {
          long[] dims = java.util.Arrays.stream(fed.get(i).shape().dims()).asLongStream().toArray();
          feeds.add(runner, fedPlaceholders.get(i), TFloat32.tensorOf(Shape.of(dims),
              DataBuffers.of(values.get(i), true, false)));
        }
      }
      runner.fetch(loss).fetch(accuracy);
      for (Output<?> g : gradients) {
        runner.fetch(g);
      }
      for (int i = 0; i < statMeans.size(); i++) {
        runner.fetch(statMeans.get(i)).fetch(statVariances.get(i));
      }
      boolean tokens = batch instanceof Batch.Tokens;
      if (tokens && finalState != null) {
        runner.fetch(finalState);
      }
      boolean trace = clock != null && clock.recordingOps();
      if (clock != null) {
        clock.lap("feed: batch and weights to TensorFlow");
      }
      if (trace) {
        runner.setOptions(RunOptions.newBuilder(runOptions).setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      }
      try (Result r = trace ? runner.runAndFetchMetadata() : runner.run()) {
        if (clock != null) {
          clock.lap("TensorFlow session run");
        }
        if (trace) {
          r.getMetadata().ifPresent(m -> StepStats.addTo(clock, m));
        }
        double lossValue = ((TFloat32) r.get(0)).getFloat();
        double acc = ((TFloat32) r.get(1)).getFloat();
        float[][] grads = new float[trainable.size()][];
        if (flatWeights != null && gradients.length == 1) {
          // The gradients of the tensors the child read, one after another (null for the others).
          if (used == null) {
            throw new IllegalArgumentException("a supernet graph's training run needs the child's tensors");
          }
          grads = splitUsed((TFloat32) r.get(2), grads.length, i -> trainable.get(i).key(),
              i -> trainable.get(i).shape().size(), used, "gradient values");
        } else {
          for (int i = 0; i < grads.length; i++) {
            grads[i] = read(r.get(2 + i), trainable.get(i).shape().size());
          }
        }
        float[][] means = new float[statKeys.size()][];
        float[][] vars = new float[statKeys.size()][];
        int base = 2 + gradients.length;
        if (!statSizes.isEmpty()) {
          means = splitUsed((TFloat32) r.get(base), statKeys.size(), i -> statKeys.get(i).child("scale"),
              statSizes::get, used, "batch-norm means");
          vars = splitUsed((TFloat32) r.get(base + 1), statKeys.size(), i -> statKeys.get(i).child("scale"),
              statSizes::get, used, "batch-norm variances");
        } else {
          for (int i = 0; i < statKeys.size(); i++) {
            means[i] = read(r.get(base + 2 * i), -1);
            vars[i] = read(r.get(base + 2 * i + 1), -1);
          }
        }
        int stateAt = base + 2 * statMeans.size();
        float[] last = tokens && finalState != null ? read(r.get(stateAt), -1) : null;
        if (clock != null) {
          clock.lap("fetch: loss and gradients to Java");
        }
        return new Fetched(lossValue, acc, grads, means, vars, last);
      }
    } finally {
      feeds.closeAll();
    }
  }

  /**
   * Splits what a supernet graph fetched as one vector (see {@link SupernetLowering#flatWhenUsed}): for each of the
   * {@code n} positions whose key the child uses, the next {@code size} values, in order; null for the others.
   */
  private static float[][] splitUsed(TFloat32 fetched, int n, java.util.function.IntFunction<ParamKey> key,
      java.util.function.IntToLongFunction size, java.util.Set<ParamKey> used, String what) {
    org.tensorflow.ndarray.buffer.FloatDataBuffer all = fetched.asRawTensor().data().asFloats();
    float[][] out = new float[n][];
    long at = 0;
    for (int i = 0; i < n; i++) {
      if (used.contains(key.apply(i))) {
        out[i] = new float[Math.toIntExact(size.applyAsLong(i))];
        all.offset(at).read(out[i]);
        at += out[i].length;
      }
    }
    if (at != all.size()) {
      throw new IllegalStateException("fetched " + all.size() + " " + what + " where " + at + " were expected");
    }
    return out;
  }

  /** The tensors fed to one run, closed together afterwards. */
  private static final class Feeds {
    private final List<Tensor> tensors = new ArrayList<>();

    void add(Session.Runner runner, Operand<?> placeholder, Tensor t) {
      tensors.add(t);
      runner.feed(placeholder, t);
    }

    void closeAll() {
      for (Tensor t : tensors) {
        t.close();
      }
    }
  }

  private static float[] read(Tensor t, long expected) {
    TFloat32 f = (TFloat32) t;
    long n = f.shape().size();
    if (expected >= 0 && n != expected) {
      throw new IllegalStateException("fetched " + n + " values where " + expected + " were expected");
    }
    float[] out = new float[Math.toIntExact(n)];
    f.asRawTensor().data().asFloats().read(out);
    return out;
  }

  /** Marks tensors written in place since the last run (an optimiser step), so the next run feeds them again. */
  void changed(java.util.Collection<ParamKey> keys) {
    if (flatFeed != null) {
      flatFeed.changed(keys);
    }
  }

  @Override
  public void close() {
    if (flatFeed != null) {
      flatFeed.close();
    }
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
