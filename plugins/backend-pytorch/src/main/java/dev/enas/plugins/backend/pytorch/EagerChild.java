package dev.enas.plugins.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.backend.BatchLayout;
import dev.enas.support.backend.SequencePlan;
import dev.enas.support.backend.GraphWalk;
import dev.enas.support.random.SplitMix64;
import dev.enas.support.weights.SharedWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One eager run of a child on a batch: every op applied in graph order on NDArrays of one {@link NDManager} (the
 * caller's per-step manager, closed after the step). Shared tensors are read from the {@link SharedWeights} store in
 * their IR layouts (created as leaves that require a gradient when training) and permuted inside the autograd graph,
 * so the gradients come back in IR layout. Images run as NCHW, vectors as {@code [batch, width]}.
 *
 * <p>The semantics are the TensorFlow backend's: SAME padding is TensorFlow's (the extra element at the bottom and
 * right), average pooling counts only real elements, batch norm in training normalises with the batch's biased
 * variance and reports the unbiased one for the moving averages (as TensorFlow's fused batch norm does), dropout and
 * drop-path masks come from a Java generator seeded by the run's noise seed and the op's position.
 */
final class EagerChild {

  /** The batch statistics of one batch-norm application, for the moving-average update. */
  record Stats(ParamKey key, float[] mean, float[] variance) {}

  /** What a run produced: the loss (a scalar that backward can start from), its value and the accuracy. */
  /** @param state a token batch's state after its last step (row-major, {@code [size x width]}), else null */
  record Result(NDArray loss, double lossValue, double accuracy, float[] state) {}

  private final NDManager m;
  private final SharedWeights weights;
  private final boolean training;
  private final boolean batchStatistics;
  private final float bnEpsilon;
  private final long noiseSeed;
  private final double progress;
  private final Map<ParamKey, ParamSpec> specs = new HashMap<>();
  private final Map<ParamKey, NDArray> params = new LinkedHashMap<>();
  private final List<Stats> stats = new ArrayList<>();
  private int noiseCount;
  /** Named (variational) dropout masks and word-dropout masks of this run, each drawn once. */
  private final Map<String, NDArray> masks = new HashMap<>();
  /** The batch's examples: a named mask has one row per example. */
  private long examples;

  /**
   * @param training whether dropout and drop-path drop, trainable tensors require gradients, batch statistics are
   *     collected and auxiliary heads join the loss
   * @param batchStatistics whether batch norm normalises with the batch's statistics (always in training)
   * @param noiseSeed fixes every dropout and drop-path mask of the run
   * @param progress the fraction of training done; it scales drop-path rates
   */
  EagerChild(NDManager m, SharedWeights weights, Graph child, boolean training, boolean batchStatistics,
      double bnEpsilon, long noiseSeed, double progress) {
    this.m = m;
    this.weights = weights;
    this.training = training;
    this.batchStatistics = batchStatistics || training;
    this.bnEpsilon = (float) bnEpsilon;
    this.noiseSeed = noiseSeed;
    this.progress = progress;
    for (ParamSpec p : child.params()) {
      specs.put(p.key(), p);
    }
  }

  /** The shared tensors the run read, in first-read order, with the arrays that hold their gradients. */
  Map<ParamKey, NDArray> params() {
    return params;
  }

  ParamSpec spec(ParamKey key) {
    return specs.get(key);
  }

  /** The batch statistics of every batch-norm application in training, in application order. */
  List<Stats> stats() {
    return stats;
  }

  /**
   * Runs the child on the batch: the main cross-entropy (plus, in training, each auxiliary head's weighted
   * cross-entropy) and the main logits' accuracy. A token batch unrolls the cell over its steps from the batch's carried
   * state (zeros when it has none); the state after the last step comes back as a plain array, so the next window's
   * gradients stop there (truncated backpropagation through time).
   */
  Result run(Graph child, BatchLayout layout, Batch batch) {
    examples = batch.size();
    NDArray logits;
    float[] finalState = null;
    long[] labels;
    List<NDArray> aux = new ArrayList<>();
    List<Double> auxWeights = new ArrayList<>();
    NDArray penalty = null;
    if (batch instanceof Batch.Images b) {
      int[] d = b.shape().dims();
      NDArray images = m.create(b.pixels(), new Shape(b.size(), d[0], d[1], d[2])).transpose(0, 3, 1, 2);
      List<NDArray> out = apply(child, Map.of(BatchLayout.IMAGES, images));
      logits = out.get(0);
      for (int i = 1; i < out.size(); i++) {
        Op.AuxLogits a = BatchLayout.auxLogits(child, i);
        if (training) {
          aux.add(out.get(i));
          auxWeights.add(a.lossWeight());
        }
      }
      labels = new long[b.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = b.labels()[i];
      }
    } else {
      Batch.Tokens b = (Batch.Tokens) batch;
      int n = b.size();
      NDArray state = null;
      if (layout.stateWidth() > 0) {
        Shape shape = new Shape(n, layout.stateWidth());
        if (b.state() != null && b.state().length != shape.size()) {
          throw new IllegalArgumentException("the carried state has " + b.state().length + " floats; this model's is "
              + n + " x " + layout.stateWidth());
        }
        state = b.state() != null ? m.create(b.state(), shape) : m.zeros(shape);
      }
      java.util.Optional<SequencePlan> plan = SequencePlan.of(child);
      SequencePlan.Outcome<NDArray> out = plan.isPresent() && state != null ? overSequence(child, plan.get(), b, state)
          : unrolled(child, b, state);
      logits = out.logits();
      if (out.state() != null) {
        finalState = floats(out.state());
      }
      if (training && out.activations() != null) {
        penalty = penalty(BatchLayout.penalised(child).orElseThrow().penalty(), out.activations(), b.steps());
      }
      // Step-major logits ([t][example]); the row-major targets are reordered to match.
      labels = new long[n * b.steps()];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < b.steps(); t++) {
          labels[t * n + i] = b.targets()[i * b.steps() + t];
        }
      }
    }
    NDArray index = m.create(labels, new Shape(labels.length, 1));
    NDArray loss = crossEntropy(logits, index);
    for (int i = 0; i < aux.size(); i++) {
      loss = loss.add(crossEntropy(aux.get(i), index).mul(scalar(auxWeights.get(i).floatValue())));
    }
    float reported = floats(loss)[0];
    if (penalty != null) {
      loss = loss.add(penalty);
    }
    long[] predicted;
    try (NDArray copy = logits.argMax(1).toType(DataType.INT64, true)) {
      predicted = copy.toLongArray();
    }
    int hits = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == labels[i]) {
        hits++;
      }
    }
    return new Result(loss, reported, (double) hits / predicted.length, finalState);
  }

  /**
   * {@code l2 * mean(a^2) + slowness * mean((a[t] - a[t-1])^2)} over step-major activations {@code [steps * n, H]}:
   * the differences pair each row with the same example's row one step earlier.
   */
  private NDArray penalty(Op.ActivationPenalty p, NDArray activations, int steps) {
    NDArray bySteps = activations.reshape(steps, -1);
    NDArray total = bySteps.square().mean().mul(scalar((float) p.l2()));
    if (steps > 1 && p.slowness() > 0) {
      NDArray diff = bySteps.get("1:").sub(bySteps.get(":-1"));
      total = total.add(diff.square().mean().mul(scalar((float) p.slowness())));
    }
    return total;
  }

  /**
   * The language model's logits over the sequence, step-major, as {@link SequencePlan} splits it: the embedding once
   * over all tokens, the cell once per step, the softmax layer once over all steps.
   */
  SequencePlan.Outcome<NDArray> overSequence(Graph child, SequencePlan plan, Batch.Tokens b, NDArray state) {
    examples = b.size();
    int n = b.size();
    int steps = b.steps();
    long[] ids = new long[n * steps];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < steps; t++) {
        ids[t * n + i] = b.inputs()[i * steps + t];
      }
    }
    return plan.run(new SequencePlan.Engine<NDArray>() {
      @Override
      public List<NDArray> apply(List<String> outputs, Map<String, NDArray> in, Map<String, NDArray> given) {
        return EagerChild.this.apply(child, outputs, in, given);
      }

      @Override
      public List<NDArray> split(NDArray x, int parts) {
        return x.split(parts, 0);
      }

      @Override
      public NDArray concat(List<NDArray> parts) {
        return NDArrays.concat(new NDList(parts), 0);
      }
    }, m.create(ids, new Shape((long) n * steps, 1)), state, steps);
  }

  /**
   * The logits of the cell unrolled over the sequence as it is, one application per step, step-major, and the final
   * state (null without one).
   */
  SequencePlan.Outcome<NDArray> unrolled(Graph child, Batch.Tokens b, NDArray state) {
    examples = b.size();
    int n = b.size();
    NDList perStep = new NDList();
    NDList activations = new NDList();
    String penalised = BatchLayout.penalised(child).map(BatchLayout.Penalised::node).orElse(null);
    List<String> outputs = new ArrayList<>(child.outputs());
    if (penalised != null) {
      outputs.add(penalised);
    }
    for (int t = 0; t < b.steps(); t++) {
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = b.inputs()[i * b.steps() + t];
      }
      Map<String, NDArray> in = new HashMap<>();
      in.put(BatchLayout.TOKENS, m.create(ids, new Shape(n, 1)));
      if (state != null) {
        in.put(BatchLayout.STATE, state);
      }
      List<NDArray> out = apply(child, outputs, in, Map.of());
      perStep.add(out.get(0));
      if (state != null) {
        state = out.get(1);
      }
      if (penalised != null) {
        activations.add(out.get(out.size() - 1));
      }
    }
    return new SequencePlan.Outcome<>(concatSteps(perStep), state, penalised == null ? null : concatSteps(activations));
  }

  private static NDArray concatSteps(NDList perStep) {
    return perStep.size() == 1 ? perStep.get(0) : NDArrays.concat(perStep, 0);
  }

  /** Applies the graph with some nodes' values given, computing the listed nodes. */
  private List<NDArray> apply(Graph child, List<String> outputs, Map<String, NDArray> inputs,
      Map<String, NDArray> given) {
    return GraphWalk.apply(child, outputs, given, (op, in, shapes) -> lower(op, in, shapes, inputs));
  }

  /** Mean softmax cross-entropy of logits {@code [n, classes]} against class ids {@code [n, 1]}. */
  private static NDArray crossEntropy(NDArray logits, NDArray index) {
    return logits.logSoftmax(1).gather(index, 1).mean().neg();
  }

  /** Applies the graph once to the named inputs and returns its outputs in order. */
  List<NDArray> apply(Graph child, Map<String, NDArray> inputs) {
    return GraphWalk.apply(child, (op, in, shapes) -> lower(op, in, shapes, inputs));
  }

  private NDArray lower(Op op, List<NDArray> in, List<TensorShape> shapes, Map<String, NDArray> inputs) {
    if (op instanceof Op.Input o) {
      NDArray x = inputs.get(o.name());
      if (x == null) {
        throw new IllegalArgumentException("no tensor is fed for input \"" + o.name() + "\"; this batch feeds "
            + inputs.keySet());
      }
      return x;
    }
    if (op instanceof Op.Identity || op instanceof Op.AuxLogits || op instanceof Op.ActivationPenalty) {
      return in.get(0);
    }
    if (op instanceof Op.Embedding o) {
      NDArray ids = in.get(0);
      if (ids.getDataType() != DataType.INT64) {
        throw new IllegalArgumentException("an embedding reads token ids (the \"tokens\" input), got a float tensor");
      }
      NDArray table = param(o.key());
      NDArray rows = JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false).reshape(ids.getShape().get(0),
          o.dim());
      if (!training || o.wordDropout() == 0) {
        return rows;
      }
      // Word dropout: one keep-or-drop per word type for the whole step, looked up by the tokens' ids.
      NDArray keep = masks.computeIfAbsent("word:" + o.key().value(),
          k -> m.create(maskValues(k, o.vocabulary(), o.wordDropout()), new Shape(o.vocabulary(), 1)));
      return rows.mul(JniUtils.embedding((PtNDArray) ids, (PtNDArray) keep, false).reshape(ids.getShape().get(0), 1));
    }
    for (NDArray x : in) {
      if (x.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException("expected a float tensor, got " + x.getDataType()
            + " (token ids can only feed an embedding)");
      }
    }
    if (op instanceof Op.Conv2d o) {
      NDArray w = param(o.weights()).transpose(3, 2, 0, 1);
      return conv(in.get(0), w, o.kernel(), o.stride(), o.dilation(), o.padding(), 1);
    }
    if (op instanceof Op.DepthwiseConv2d o) {
      NDArray w = param(o.weights()).transpose(2, 3, 0, 1);
      return conv(in.get(0), w, o.kernel(), o.stride(), o.dilation(), Op.Padding.SAME, shapes.get(0).channels());
    }
    if (op instanceof Op.Pool o) {
      return pool(in.get(0), o);
    }
    if (op instanceof Op.FactorizedReduce o) {
      return batchNorm(o.key().child("bn"), factorizedReduce(in.get(0), o), 3);
    }
    if (op instanceof Op.BatchNorm o) {
      return batchNorm(o.key(), in.get(0), shapes.get(0).rank());
    }
    if (op instanceof Op.Act o) {
      return activation(o.fn(), in.get(0));
    }
    if (op instanceof Op.Add) {
      return sum(in);
    }
    if (op instanceof Op.Mean) {
      return in.size() == 1 ? in.get(0) : sum(in).mul(scalar(1f / in.size()));
    }
    if (op instanceof Op.Concat) {
      // The IR's last dimension (channels, or a vector's width) is axis 1 both in NCHW and in [batch, width].
      return in.size() == 1 ? in.get(0) : NDArrays.concat(new NDList(in), 1);
    }
    if (op instanceof Op.GlobalAvgPool) {
      NDArray x = in.get(0);
      return JniUtils.adaptiveAvgPool((PtNDArray) x, new Shape(1, 1)).reshape(x.getShape().get(0),
          x.getShape().get(1));
    }
    if (op instanceof Op.Dense o) {
      NDArray y = in.get(0).matMul(param(o.key().child("w")));
      return o.bias() ? y.add(param(o.key().child("b"))) : y;
    }
    if (op instanceof Op.TiedDense o) {
      // libtorch's linear (x · Wᵀ + b) reads the table as it is stored: no transposed view in the autograd graph.
      return ai.djl.nn.core.Linear.linear(in.get(0), param(o.table()), param(o.bias())).singletonOrThrow();
    }
    if (op instanceof Op.Dropout o) {
      if (!training || o.rate() == 0) {
        return in.get(0);
      }
      return o.mask() == null ? dropout(in.get(0), o.rate()) : variational(in.get(0), o.rate(), o.mask());
    }
    if (op instanceof Op.DropPath o) {
      double rate = o.maxDropRate() * progress;
      return training && rate > 0 ? dropPath(in.get(0), rate) : in.get(0);
    }
    if (op instanceof Op.Highway o) {
      NDArray carry = in.get(in.size() - 1);
      List<NDArray> product = o.carrySeparate() ? in.subList(0, in.size() - 1) : in;
      NDArray x = product.size() == 1 ? product.get(0) : NDArrays.concat(new NDList(product), 1);
      NDArray y = x.matMul(param(o.weights()));
      long h = carry.getShape().get(1);
      NDArray pre = JniUtils.slice((PtNDArray) y, 1, 0, h, 1);
      NDArray gate = JniUtils.sigmoid(JniUtils.slice((PtNDArray) y, 1, h, 2 * h, 1));
      return carry.add(gate.mul(activation(o.fn(), pre).sub(carry)));
    }
    if (op instanceof Op.Lstm o) {
      NDArray x = NDArrays.concat(new NDList(in.get(0), in.get(1)), 1);
      PtNDArray y = (PtNDArray) x.matMul(param(o.key().child("w"))).add(param(o.key().child("b")));
      long h = in.get(1).getShape().get(1);
      NDArray c = JniUtils.sigmoid(JniUtils.slice(y, 1, h, 2 * h, 1)).mul(in.get(2))
          .add(JniUtils.sigmoid(JniUtils.slice(y, 1, 0, h, 1)).mul(JniUtils.slice(y, 1, 2 * h, 3 * h, 1).tanh()));
      NDArray next = JniUtils.sigmoid(JniUtils.slice(y, 1, 3 * h, 4 * h, 1)).mul(c.tanh());
      return NDArrays.concat(new NDList(next, c), 1);
    }
    if (op instanceof Op.Slice o) {
      return JniUtils.slice((PtNDArray) in.get(0), 1, o.from(), o.to(), 1);
    }
    throw new IllegalArgumentException("op " + op.getClass().getSimpleName() + " is not implemented");
  }

  private static NDArray sum(List<NDArray> in) {
    NDArray s = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      s = s.add(in.get(i));
    }
    return s;
  }

  /**
   * A convolution of NCHW {@code x} with an OIHW kernel; SAME pads as TensorFlow does (the odd element at the
   * bottom/right), by the convolution's own symmetric padding when it is symmetric, else by an explicit zero pad.
   */
  private static NDArray conv(NDArray x, NDArray w, int kernel, int stride, int dilation, Op.Padding padding,
      int groups) {
    int window = (kernel - 1) * dilation + 1;
    long[] pad = padding == Op.Padding.SAME ? samePadding(x.getShape(), window, stride) : new long[4];
    Shape convPad = new Shape(0, 0);
    if (pad[0] == pad[1] && pad[2] == pad[3]) {
      convPad = new Shape(pad[2], pad[0]);
    } else {
      x = JniUtils.pad((PtNDArray) x, pad, 0);
    }
    return JniUtils.convolution((PtNDArray) x, (PtNDArray) w, null, new Shape(stride, stride), convPad,
        new Shape(dilation, dilation), groups);
  }

  /**
   * TensorFlow's SAME padding of an NCHW input for a square window: per axis {@code total = max((out - 1) * stride +
   * window - in, 0)} with {@code out = ceil(in / stride)}, {@code total / 2} before and the rest after. Returned in
   * {@code torch.nn.functional.pad} order: left, right, top, bottom.
   */
  static long[] samePadding(Shape nchw, int window, int stride) {
    long[] h = samePadding(nchw.get(2), window, stride);
    long[] w = samePadding(nchw.get(3), window, stride);
    return new long[] {w[0], w[1], h[0], h[1]};
  }

  static long[] samePadding(long in, int window, int stride) {
    long out = (in + stride - 1) / stride;
    long total = Math.max((out - 1) * stride + window - in, 0);
    return new long[] {total / 2, total - total / 2};
  }

  private NDArray pool(NDArray x, Op.Pool o) {
    Shape k = new Shape(o.kernel(), o.kernel());
    Shape s = new Shape(o.stride(), o.stride());
    Shape none = new Shape(0, 0);
    long[] pad = o.padding() == Op.Padding.SAME ? samePadding(x.getShape(), o.kernel(), o.stride()) : new long[4];
    boolean padded = pad[0] + pad[1] + pad[2] + pad[3] > 0;
    if (o.kind() == Op.Pool.Kind.MAX) {
      NDArray p = padded ? JniUtils.pad((PtNDArray) x, pad, Double.NEGATIVE_INFINITY) : x;
      return JniUtils.maxPool((PtNDArray) p, k, s, none, false);
    }
    if (!padded) {
      return JniUtils.avgPool((PtNDArray) x, k, s, none, false, true);
    }
    // The mean over real elements only: the windows' sums over the zero-padded input divided by how many real
    // elements each window holds (the same pooling of a padded map of ones).
    NDArray sums = JniUtils.avgPool(JniUtils.pad((PtNDArray) x, pad, 0), k, s, none, false, true);
    NDArray ones = m.ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)));
    NDArray counts = JniUtils.avgPool(JniUtils.pad((PtNDArray) ones, pad, 0), k, s, none, false, true);
    return sums.div(counts);
  }

  /**
   * ENAS's factorized reduction: a 1x1 stride-2 convolution of pixel (2i, 2j) for the first half of the channels, and
   * of pixel (2i+1, 2j+1) (zero past the border) for the second, concatenated.
   */
  private NDArray factorizedReduce(NDArray x, Op.FactorizedReduce o) {
    NDArray w1 = param(o.key().child("path1")).transpose(3, 2, 0, 1);
    NDArray w2 = param(o.key().child("path2")).transpose(3, 2, 0, 1);
    Shape two = new Shape(2, 2);
    Shape none = new Shape(0, 0);
    Shape one = new Shape(1, 1);
    NDArray p1 = JniUtils.convolution((PtNDArray) x, (PtNDArray) w1, null, two, none, one, 1);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    PtNDArray shifted = JniUtils.pad((PtNDArray) x, new long[] {0, 1, 0, 1}, 0);
    shifted = JniUtils.slice(JniUtils.slice(shifted, 2, 1, h + 1, 1), 3, 1, w + 1, 1);
    NDArray p2 = JniUtils.convolution(shifted, (PtNDArray) w2, null, two, none, one, 1);
    return NDArrays.concat(new NDList(p1, p2), 1);
  }

  /**
   * Batch norm over every axis but the channels' (axis 1); {@code exampleRank} 3 for images, 1 for vectors. With
   * batch statistics libtorch normalises with the biased variance and, given running statistics to update with
   * momentum 1, writes the batch mean and the unbiased variance (times {@code n / (n - 1)}, n the elements per channel)
   * into them: exactly what TensorFlow's fused batch norm reports for the moving averages.
   */
  private NDArray batchNorm(ParamKey key, NDArray x, int exampleRank) {
    int channels = specs.get(key.child("scale")).shape().dim(0);
    PtNDArray scale = (PtNDArray) param(key.child("scale"));
    PtNDArray offset = (PtNDArray) param(key.child("offset"));
    if (batchStatistics) {
      PtNDArray mean = (PtNDArray) m.zeros(new Shape(channels));
      PtNDArray variance = (PtNDArray) m.ones(new Shape(channels));
      NDArray y = JniUtils.batchNorm((PtNDArray) x, mean, variance, scale, offset, true, 1.0, bnEpsilon);
      if (training) {
        // One element per channel: libtorch's unbiased variance divides by 0; TensorFlow's is then the biased 0.
        boolean single = x.getShape().size() == channels;
        stats.add(new Stats(key, floats(mean), single ? new float[channels] : floats(variance)));
      }
      return y;
    }
    return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) param(key.child("moving_mean")),
        (PtNDArray) param(key.child("moving_variance")), scale, offset, false, 0.0, bnEpsilon);
  }

  private static NDArray activation(Activation fn, NDArray x) {
    return switch (fn) {
      case RELU -> JniUtils.relu((PtNDArray) x);
      case TANH -> x.tanh();
      case SIGMOID -> JniUtils.sigmoid((PtNDArray) x);
      case IDENTITY -> x;
    };
  }

  /** Inverted dropout: each element kept with probability {@code 1 - rate} and scaled by {@code 1 / (1 - rate)}. */
  private NDArray dropout(NDArray x, double rate) {
    SplitMix64 rng = nextNoise();
    float[] mask = new float[Math.toIntExact(x.getShape().size())];
    float keep = (float) (1 / (1 - rate));
    for (int i = 0; i < mask.length; i++) {
      mask[i] = rng.nextDouble() >= rate ? keep : 0f;
    }
    return x.mul(m.create(mask, x.getShape()));
  }

  /**
   * Variational dropout: the named mask, one row per example drawn at its first use in the run, multiplies rows
   * {@code [rows, width]}; rows beyond the batch are later steps of the same examples (step-major), so the mask
   * repeats over them.
   */
  private NDArray variational(NDArray x, double rate, String name) {
    long width = x.getShape().get(1);
    NDArray mask = masks.computeIfAbsent("mask:" + name,
        k -> m.create(maskValues(k, Math.toIntExact(examples * width), rate), new Shape(examples, width)));
    if (mask.getShape().get(1) != width) {
      throw new IllegalArgumentException("dropout mask \"" + name + "\" is shared by inputs of widths "
          + mask.getShape().get(1) + " and " + width + "; a shared mask needs one width");
    }
    long rows = x.getShape().get(0);
    return x.mul(rows == examples ? mask : mask.tile(new long[] {rows / examples, 1}));
  }

  /** Keep-and-scale values of a named mask: its own generator from the run's seed and the name. */
  private float[] maskValues(String name, int n, double rate) {
    SplitMix64 rng = new SplitMix64(SplitMix64.mix(noiseSeed ^ SplitMix64.mix(name.hashCode())));
    float[] v = new float[n];
    float keep = (float) (1 / (1 - rate));
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextDouble() >= rate ? keep : 0f;
    }
    return v;
  }

  /** Drop-path: each example's whole tensor dropped with probability {@code rate}, survivors scaled. */
  private NDArray dropPath(NDArray x, double rate) {
    SplitMix64 rng = nextNoise();
    Shape shape = x.getShape();
    long[] dims = new long[shape.dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = shape.get(0);
    float[] mask = new float[Math.toIntExact(dims[0])];
    float keep = (float) (1 / (1 - rate));
    for (int i = 0; i < mask.length; i++) {
      mask[i] = rng.nextDouble() >= rate ? keep : 0f;
    }
    return x.mul(m.create(mask, new Shape(dims)));
  }

  /**
   * A scalar on this run's manager, open until the step ends. Never use DJL's arithmetic with a Java number
   * ({@code x.mul(0.5f)}) in the autograd graph: it makes the scalar from a Java direct buffer, applies the op and
   * closes the scalar at once, but the autograd graph keeps the scalar for the backward pass (the gradient of x * s
   * needs s); a garbage collection before backward then freed its memory and the backward pass read garbage (NaN
   * gradients at random steps in the recurrent cell, whose output is a mean).
   */
  private NDArray scalar(float value) {
    return m.create(value);
  }

  /**
   * The values of an array, read from a copy, so no Java buffer views memory the autograd graph may still hold.
   */
  static float[] floats(NDArray x) {
    try (NDArray copy = x.duplicate()) {
      return copy.toFloatArray();
    }
  }

  /** The generator of the next random op: the run's noise seed and the op's position, so masks differ and repeat. */
  private SplitMix64 nextNoise() {
    return new SplitMix64(SplitMix64.mix(noiseSeed + SplitMix64.mix(++noiseCount)));
  }

  /**
   * A shared tensor as an array on this run's manager, made on first read (an unrolled cell reads the same array at
   * every step); trainable ones require a gradient in training.
   */
  private NDArray param(ParamKey key) {
    NDArray p = params.get(key);
    if (p == null) {
      ParamSpec spec = specs.get(key);
      if (spec == null) {
        throw new IllegalStateException("parameter " + key + " is not among the graph's parameters");
      }
      long[] dims = java.util.Arrays.stream(spec.shape().dims()).asLongStream().toArray();
      p = m.create(weights.entry(spec).values, new Shape(dims));
      if (training && spec.trainable()) {
        p.setRequiresGradient(true);
      }
      params.put(key, p);
    }
    return p;
  }
}
