package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.backend.GraphWalk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Lowers a resolved IR graph to TensorFlow ops. Every shared tensor becomes a placeholder (fed from the
 * {@link dev.enas.support.weights.SharedWeights} store each run), created once per key however often the graph is applied, so an unrolled
 * recurrent cell reads the same weights at every step.
 */
final class ChildLowering {

  /** The batch statistics of one batch-norm application, fetched in training to update the moving averages. */
  record BatchStats(ParamKey key, Output<TFloat32> mean, Output<TFloat32> variance) {}

  private final Ops tf;
  private final boolean dropoutActive;
  private final boolean batchStatistics;
  private final boolean collectStats;
  private final float bnEpsilon;
  private final Map<ParamKey, ParamSpec> specs = new HashMap<>();
  private final Map<ParamKey, Operand<TFloat32>> params = new LinkedHashMap<>();
  private Placeholder<TFloat32> flat;
  private java.util.function.Function<ParamSpec, float[]> frozen;
  private int flatSize;
  private final List<BatchStats> stats = new ArrayList<>();
  private Placeholder<TInt64> noiseSeed;
  private Placeholder<TFloat32> progress;
  private int noiseCount;
  /** Named (variational) dropout masks and word-dropout masks, each built once per graph (so once per run). */
  private final Map<String, Operand<TFloat32>> masks = new HashMap<>();
  private final Map<String, Integer> maskWidths = new HashMap<>();
  /** The fed batch tensor whose leading dimension is the example count, which a named mask's rows follow. */
  private Operand<?> batchInput;
  /** {@code [examples]}, built at the first named mask (a graph without one is left as it was). */
  private Operand<TInt32> examples;

  /**
   * @param dropoutActive whether dropout and drop-path drop (training only)
   * @param batchStatistics whether batch norm normalises with the batch's statistics instead of the moving ones
   * @param collectStats whether to expose batch statistics for the moving-average update (training only)
   */
  ChildLowering(Ops tf, Graph child, boolean dropoutActive, boolean batchStatistics, boolean collectStats,
      double bnEpsilon) {
    this.tf = tf;
    this.dropoutActive = dropoutActive;
    this.batchStatistics = batchStatistics;
    this.collectStats = collectStats;
    this.bnEpsilon = (float) bnEpsilon;
    if (!child.hasChoices()) {
      for (ParamSpec p : child.params()) {
        specs.put(p.key(), p);
      }
    }
  }

  /** The shared tensors the lowered graph reads, in creation order, with their placeholders. */
  Map<ParamKey, Operand<TFloat32>> params() {
    return params;
  }

  ParamSpec spec(ParamKey key) {
    return specs.get(key);
  }

  List<BatchStats> batchStats() {
    return stats;
  }

  /**
   * Says which fed tensor's leading dimension is the batch's example count ({@code images} or {@code tokens}): a named
   * dropout mask has one row per example. Its ops read only placeholders, so a mask first built inside a supernet's
   * gated branch is never dead where another branch reuses it.
   */
  void examplesFrom(Operand<?> batchInput) {
    this.batchInput = batchInput;
  }

  /** The placeholder for the seed of dropout and drop-path masks, or null when neither is active in the graph. */
  Placeholder<TInt64> noiseSeed() {
    return noiseSeed;
  }

  /**
   * The placeholder for training progress in [0, 1] (a scalar, fed each step so a compiled child serves every
   * step), or null when no drop-path is active in the graph.
   */
  Placeholder<TFloat32> progress() {
    return progress;
  }

  /**
   * Applies the graph once to the given named inputs (batch-first tensors) and returns its outputs in order.
   * The graph must be resolved (no choice nodes).
   */
  List<Operand<?>> apply(Graph child, Map<String, Operand<?>> inputs) {
    return GraphWalk.apply(child, (op, in, shapes) -> lower(op, in, shapes, inputs));
  }

  /** Lowers one op applied to lowered inputs of the given shapes; {@code inputs} are the graph's named inputs. */
  Operand<?> lower(Op op, List<Operand<?>> in, List<TensorShape> shapes, Map<String, Operand<?>> inputs) {
    if (op instanceof Op.Input o) {
      Operand<?> x = inputs.get(o.name());
      if (x == null) {
        throw new IllegalArgumentException("no tensor is fed for input \"" + o.name() + "\"; this batch feeds "
            + inputs.keySet());
      }
      return x;
    }
    if (op instanceof Op.Identity || op instanceof Op.AuxLogits || op instanceof Op.ActivationPenalty) {
      return in.get(0);
    }
    if (op instanceof Op.Conv2d o) {
      // A 1x1 stride-1 window never reaches past the border, so SAME and VALID agree.
      if (o.kernel() == 1 && o.stride() == 1) {
        return pointwise(f(in.get(0)), param(o.weights()), shapes.get(0), o.outChannels());
      }
      long s = o.stride();
      // Conv2D's own dilations are not passed on by the C++ gradient that TF Java differentiates with (the backward
      // ops ran undilated: BackendContractIT caught it); a kernel spread out with zeros is the same convolution.
      Operand<TFloat32> w = o.dilation() == 1 ? param(o.weights())
          : dilatedKernel(param(o.weights()), o.kernel(), o.dilation(), shapes.get(0).channels(), o.outChannels());
      return tf.nn.conv2d(f(in.get(0)), w, List.of(1L, s, s, 1L), o.padding().name());
    }
    if (op instanceof Op.DepthwiseConv2d o) {
      long s = o.stride();
      // TensorFlow's CPU depthwise kernel has no dilation: spread the kernel out with zeros instead.
      Operand<TFloat32> w = o.dilation() == 1 ? param(o.weights())
          : dilatedKernel(param(o.weights()), o.kernel(), o.dilation(), shapes.get(0).channels(), 1);
      return tf.nn.depthwiseConv2dNative(f(in.get(0)), w, List.of(1L, s, s, 1L), "SAME");
    }
    if (op instanceof Op.Pool o) {
      int k = o.kernel();
      int s = o.stride();
      if (o.kind() == Op.Pool.Kind.MAX) {
        return maxPool(f(in.get(0)), k, s, o.padding().name());
      }
      // TensorFlow's SAME average pooling divides by the number of real (unpadded) elements, as the IR asks.
      return tf.nn.avgPool(f(in.get(0)), List.of(1L, (long) k, (long) k, 1L), List.of(1L, (long) s, (long) s, 1L),
          o.padding().name());
    }
    if (op instanceof Op.FactorizedReduce o) {
      return batchNorm(o.key().child("bn"), factorizedReduce(f(in.get(0)), o), 3);
    }
    if (op instanceof Op.BatchNorm o) {
      return batchNorm(o.key(), f(in.get(0)), shapes.get(0).rank());
    }
    if (op instanceof Op.Act o) {
      return activation(o.fn(), f(in.get(0)));
    }
    if (op instanceof Op.Add) {
      return in.size() == 1 ? in.get(0) : tf.math.addN(floats(in));
    }
    if (op instanceof Op.Mean) {
      Operand<TFloat32> sum = in.size() == 1 ? f(in.get(0)) : tf.math.addN(floats(in));
      return in.size() == 1 ? sum : tf.math.mul(sum, tf.constant(1f / in.size()));
    }
    if (op instanceof Op.Concat) {
      return in.size() == 1 ? in.get(0) : tf.concat(floats(in), scalar(shapes.get(0).rank()));
    }
    if (op instanceof Op.GlobalAvgPool) {
      return tf.math.mean(f(in.get(0)), ints(new int[] {1, 2}));
    }
    if (op instanceof Op.Dense o) {
      Operand<TFloat32> y = tf.linalg.matMul(f(in.get(0)), param(o.key().child("w")));
      return o.bias() ? tf.nn.biasAdd(y, param(o.key().child("b"))) : y;
    }
    if (op instanceof Op.TiedDense o) {
      Operand<TFloat32> y = tf.linalg.matMul(f(in.get(0)), param(o.table()), MatMul.transposeB(true));
      return tf.nn.biasAdd(y, param(o.bias()));
    }
    if (op instanceof Op.Dropout o) {
      if (!dropoutActive || o.rate() == 0) {
        return in.get(0);
      }
      return o.mask() == null ? dropout(f(in.get(0)), o.rate())
          : variational(f(in.get(0)), o.rate(), o.mask(), shapes.get(0).dim(0));
    }
    if (op instanceof Op.DropPath o) {
      return dropoutActive && o.maxDropRate() > 0 ? dropPath(f(in.get(0)), o.maxDropRate(), shapes.get(0).rank())
          : in.get(0);
    }
    if (op instanceof Op.Embedding o) {
      Operand<?> ids = in.get(0);
      if (!(ids.asOutput().type() == TInt32.class)) {
        throw new IllegalArgumentException("an embedding reads token ids (the \"tokens\" input), got a float tensor");
      }
      @SuppressWarnings("unchecked")
      Operand<TInt32> tokens = (Operand<TInt32>) ids;
      Operand<TInt32> flatIds = tf.reshape(tokens, ints(new int[] {-1}));
      Operand<TFloat32> rows = tf.gather(param(o.key()), flatIds, scalar(0));
      if (!dropoutActive || o.wordDropout() == 0) {
        return rows;
      }
      // Word dropout: one keep-or-drop per word type for the whole step, looked up by the tokens' ids.
      Operand<TFloat32> keep = masks.computeIfAbsent("word:" + o.key().value(),
          k -> keepMask(ints(new int[] {o.vocabulary(), 1}), o.wordDropout()));
      return tf.math.mul(rows, tf.gather(keep, flatIds, scalar(0)));
    }
    if (op instanceof Op.Highway o) {
      Operand<TFloat32> carry = f(in.get(in.size() - 1));
      List<Operand<?>> product = o.carrySeparate() ? in.subList(0, in.size() - 1) : in;
      Operand<TFloat32> x = product.size() == 1 ? f(product.get(0)) : tf.concat(floats(product), scalar(1));
      List<Output<TFloat32>> hc = tf.split(scalar(1), tf.linalg.matMul(x, param(o.weights())), 2L).output();
      Operand<TFloat32> gate = tf.math.sigmoid(hc.get(1));
      return tf.math.add(carry, tf.math.mul(gate, tf.math.sub(activation(o.fn(), hc.get(0)), carry)));
    }
    if (op instanceof Op.Lstm o) {
      Operand<TFloat32> x = tf.concat(List.of(f(in.get(0)), f(in.get(1))), scalar(1));
      Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(x, param(o.key().child("w"))), param(o.key().child("b")));
      List<Output<TFloat32>> g = tf.split(scalar(1), y, 4L).output();
      Operand<TFloat32> c = tf.math.add(tf.math.mul(tf.math.sigmoid(g.get(1)), f(in.get(2))),
          tf.math.mul(tf.math.sigmoid(g.get(0)), tf.math.tanh(g.get(2))));
      Operand<TFloat32> h = tf.math.mul(tf.math.sigmoid(g.get(3)), tf.math.tanh(c));
      return tf.concat(List.of(h, c), scalar(1));
    }
    if (op instanceof Op.Slice o) {
      return tf.slice(f(in.get(0)), tf.constant(new int[] {0, o.from()}), tf.constant(new int[] {-1, o.to() - o.from()}));
    }
    throw new IllegalArgumentException("op " + op.getClass().getSimpleName() + " is not implemented");
  }

  private Operand<TFloat32> batchNorm(ParamKey key, Operand<TFloat32> x, int exampleRank) {
    int channels = specs.get(key.child("scale")).shape().dim(0);
    // The fused kernel wants NHWC; vectors are viewed as 1x1 images.
    Operand<TFloat32> x4 = exampleRank == 3 ? x : tf.reshape(x, ints(new int[] {-1, 1, 1, channels}));
    FusedBatchNorm<TFloat32, TFloat32> bn;
    if (batchStatistics) {
      Operand<TFloat32> empty = emptyFloats();
      bn = tf.nn.fusedBatchNorm(x4, param(key.child("scale")), param(key.child("offset")), empty, empty,
          FusedBatchNorm.epsilon(bnEpsilon), FusedBatchNorm.isTraining(true));
      if (collectStats) {
        stats.add(new BatchStats(key, bn.batchMean(), bn.batchVariance()));
      }
    } else {
      bn = tf.nn.fusedBatchNorm(x4, param(key.child("scale")), param(key.child("offset")),
          param(key.child("moving_mean")), param(key.child("moving_variance")), FusedBatchNorm.epsilon(bnEpsilon),
          FusedBatchNorm.isTraining(false));
    }
    return exampleRank == 3 ? bn.y() : tf.reshape(bn.y(), ints(new int[] {-1, channels}));
  }

  /**
   * A 1x1 convolution as a matrix product over all pixels: the same arithmetic, but TensorFlow's CPU gradient
   * kernels for 1x1 Conv2D are several times slower than MatMul's.
   */
  private Operand<TFloat32> pointwise(Operand<TFloat32> x, Operand<TFloat32> w, TensorShape in, int out) {
    Operand<TFloat32> rows = tf.reshape(x, ints(new int[] {-1, in.channels()}));
    Operand<TFloat32> y = tf.linalg.matMul(rows, tf.reshape(w, ints(new int[] {in.channels(), out})));
    return tf.reshape(y, ints(new int[] {-1, in.height(), in.width(), out}));
  }

  /**
   * ENAS's factorized reduction as one 2x2 stride-2 convolution: path 1 (a 1x1 conv of pixel (2i, 2j)) is the
   * kernel's top-left tap for the first half of the output channels, path 2 (a 1x1 conv of the input shifted by one
   * pixel, i.e. of pixel (2i+1, 2j+1), zero past the border) its bottom-right tap for the second half. SAME padding
   * adds exactly the bottom/right zero an odd size needs. Measured several times faster than two strided 1x1
   * convolutions with a pad and a slice, whose gradients (StridedSliceGrad, strided Conv2DBackpropInput) are slow.
   */
  private Operand<TFloat32> factorizedReduce(Operand<TFloat32> x, Op.FactorizedReduce o) {
    Operand<TFloat32> topLeft = tf.pad(param(o.key().child("path1")),
        tf.constant(new int[][] {{0, 1}, {0, 1}, {0, 0}, {0, 0}}), floats0());
    Operand<TFloat32> bottomRight = tf.pad(param(o.key().child("path2")),
        tf.constant(new int[][] {{1, 0}, {1, 0}, {0, 0}, {0, 0}}), floats0());
    Operand<TFloat32> kernel = tf.concat(List.of(topLeft, bottomRight), scalar(3));
    return tf.nn.conv2d(x, kernel, List.of(1L, 2L, 2L, 1L), "SAME");
  }

  /** A {@code [k, k, Cin, Cout]} kernel with {@code d - 1} zeros between taps: {@code [(k-1)d+1, (k-1)d+1, Cin, Cout]}. */
  private Operand<TFloat32> dilatedKernel(Operand<TFloat32> w, int k, int d, int channels, int outChannels) {
    Operand<TFloat32> spread = tf.pad(tf.reshape(w, ints(new int[] {k, 1, k, 1, channels * outChannels})),
        tf.constant(new int[][] {{0, 0}, {0, d - 1}, {0, 0}, {0, d - 1}, {0, 0}}), floats0());
    int size = (k - 1) * d + 1;
    Operand<TFloat32> square = tf.reshape(spread, ints(new int[] {k * d, k * d, channels, outChannels}));
    return tf.stridedSlice(square, Indices.sliceTo(size), Indices.sliceTo(size), Indices.all(), Indices.all());
  }

  private Operand<TFloat32> activation(Activation fn, Operand<TFloat32> x) {
    switch (fn) {
      case RELU:
        return tf.nn.relu(x);
      case TANH:
        return tf.math.tanh(x);
      case SIGMOID:
        return tf.math.sigmoid(x);
      case IDENTITY:
        return x;
      default:
        throw new IllegalArgumentException("activation " + fn + " is not implemented");
    }
  }

  /** Inverted dropout with a stateless generator: the mask depends only on the fed seed and the op's position. */
  private Operand<TFloat32> dropout(Operand<TFloat32> x, double rate) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), nextSeed(), TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1 / (1 - rate)))));
  }

  /**
   * Variational dropout: the named mask {@code [examples, width]}, built at its first use, multiplies rows {@code
   * [rows, width]}; rows beyond the batch are later steps of the same examples (step-major), so it repeats over them.
   */
  private Operand<TFloat32> variational(Operand<TFloat32> x, double rate, String name, int width) {
    if (examples == null) {
      if (batchInput == null) {
        throw new IllegalStateException("variational dropout needs the batch's example count (examplesFrom)");
      }
      examples = tf.stridedSlice(tf.shape(batchInput), Indices.sliceTo(1));
    }
    Operand<TFloat32> mask = masks.computeIfAbsent("mask:" + name,
        k -> keepMask(tf.concat(List.of(examples, ints(new int[] {width})), scalar(0)), rate));
    int built = maskWidths.computeIfAbsent(name, k -> width);
    if (built != width) {
      throw new IllegalArgumentException("dropout mask \"" + name + "\" is shared by inputs of widths " + built
          + " and " + width + "; a shared mask needs one width");
    }
    Operand<TInt32> rows = tf.stridedSlice(tf.shape(x), Indices.sliceTo(1));
    Operand<TInt32> repeats = tf.concat(List.of(tf.math.div(rows, examples), ints(new int[] {1})), scalar(0));
    return tf.math.mul(x, tf.tile(mask, repeats));
  }

  /** Keep-and-scale values of a mask of the given shape: 1 / (1 - rate) where kept, 0 where dropped. */
  private Operand<TFloat32> keepMask(Operand<TInt32> shape, double rate) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(shape, nextSeed(), TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(keep, tf.constant((float) (1 / (1 - rate))));
  }

  /**
   * Drop-path: one uniform number per example (broadcast over the example's whole tensor) against
   * {@code rate = maxDropRate * progress}, survivors scaled by {@code 1 / (1 - rate)}. At progress 0 the rate is 0,
   * every number passes and the scale is 1, so the op is exactly the identity.
   */
  private Operand<TFloat32> dropPath(Operand<TFloat32> x, double maxDropRate, int exampleRank) {
    if (progress == null) {
      progress = tf.withName("progress").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }
    Operand<TFloat32> rate = tf.math.mul(progress, tf.constant((float) maxDropRate));
    Operand<TInt32> batch = tf.stridedSlice(tf.shape(x), Indices.sliceTo(1));
    int[] ones = new int[exampleRank];
    java.util.Arrays.fill(ones, 1);
    Operand<TInt32> maskShape = tf.concat(List.of(batch, ints(ones)), scalar(0));
    Operand<TFloat32> u = tf.random.statelessRandomUniform(maskShape, nextSeed(), TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, rate), TFloat32.class);
    Operand<TFloat32> scale = tf.math.div(tf.constant(1f), tf.math.sub(tf.constant(1f), rate));
    return tf.math.mul(x, tf.math.mul(keep, scale));
  }

  /** The seed of the next random op: the fed seed plus the op's position, so every mask differs and repeats. */
  private Operand<TInt64> nextSeed() {
    if (noiseSeed == null) {
      noiseSeed = tf.withName("noise_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    }
    return tf.math.add(noiseSeed, tf.constant(new long[] {0, ++noiseCount}));
  }

  /**
   * TensorFlow's first max pooling, whose window and strides are attributes: oneDNN implements it and its gradient on
   * the CPU. TensorFlow Java's {@code maxPool} makes MaxPoolV2 (window and strides as tensors), whose gradient has only
   * the plain Eigen kernel: measured at 18% of a small micro child's step on 2 cores, against 3% for this form.
   */
  private Operand<TFloat32> maxPool(Operand<TFloat32> x, int k, int s, String padding) {
    return tf.scope().opBuilder("MaxPool", "MaxPool").addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, k, k, 1}).setAttr("strides", new long[] {1, s, s, 1})
        .setAttr("padding", padding).build().<TFloat32>output(0);
  }

  /** Constants are memoised per graph: building ops is most of a new child's cost, and many repeat. */
  private final Map<String, Operand<?>> constants = new HashMap<>();

  @SuppressWarnings("unchecked")
  Operand<TInt32> ints(int[] v) {
    return (Operand<TInt32>) constants.computeIfAbsent("i" + java.util.Arrays.toString(v), k -> tf.constant(v));
  }

  @SuppressWarnings("unchecked")
  Operand<TInt32> scalar(int v) {
    return (Operand<TInt32>) constants.computeIfAbsent("s" + v, k -> tf.constant(v));
  }

  @SuppressWarnings("unchecked")
  Operand<TFloat32> floats0() {
    return (Operand<TFloat32>) constants.computeIfAbsent("f0", k -> tf.constant(0f));
  }

  @SuppressWarnings("unchecked")
  Operand<TFloat32> emptyFloats() {
    return (Operand<TFloat32>) constants.computeIfAbsent("empty", k -> tf.constant(new float[0]));
  }

  private java.util.function.Function<ParamKey, Operand<TFloat32>> templates;

  /** How a key with a choice placeholder is read (a supernet selects one of its resolved variants). */
  void templates(java.util.function.Function<ParamKey, Operand<TFloat32>> select) {
    this.templates = select;
  }

  /** Declares a tensor the lowered ops may read (a supernet's tensors are not those of one resolved child). */
  void addSpec(ParamSpec spec) {
    ParamSpec prev = specs.putIfAbsent(spec.key(), spec);
    if (prev != null && !prev.shape().equals(spec.shape())) {
      throw new IllegalStateException("parameter " + spec.key() + " is used with shapes " + prev.shape() + " and "
          + spec.shape());
    }
  }

  private Operand<TFloat32> param(ParamKey key) {
    if (templates != null && key.isTemplate()) {
      return templates.apply(key);
    }
    return tensor(key);
  }

  /**
   * Feeds every shared tensor from one flat vector, each a slice of it in creation order: a supernet graph reads
   * thousands of tensors, and one feed costs far less than thousands (each is a separate native tensor and copy).
   */
  void feedFlat(Placeholder<TFloat32> vector) {
    this.flat = vector;
  }

  /** Bakes every shared tensor into the graph as a constant of the given values (an exported, frozen model). */
  void constantsFrom(java.util.function.Function<ParamSpec, float[]> values) {
    this.frozen = values;
  }

  /** The length of the flat vector: the total size of the tensors created so far. */
  int flatSize() {
    return flatSize;
  }

  /** The tensor a shared tensor is read through (its placeholder, or its slice of the flat vector), made on first use. */
  Operand<TFloat32> tensor(ParamKey key) {
    Operand<TFloat32> p = params.get(key);
    if (p == null) {
      ParamSpec spec = specs.get(key);
      if (spec == null) {
        throw new IllegalStateException("parameter " + key + " is not among the graph's parameters");
      }
      long[] dims = java.util.Arrays.stream(spec.shape().dims()).asLongStream().toArray();
      if (frozen != null) {
        p = tf.constant(Shape.of(dims), org.tensorflow.ndarray.buffer.DataBuffers.of(frozen.apply(spec), true,
            false));
      } else if (flat == null) {
        p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
      } else {
        int size = Math.toIntExact(spec.shape().size());
        p = tf.reshape(tf.slice(flat, tf.constant(new int[] {flatSize}), ints(new int[] {size})),
            ints(spec.shape().dims()));
        flatSize += size;
      }
      params.put(key, p);
    }
    return p;
  }

  private static List<Operand<TFloat32>> floats(List<Operand<?>> in) {
    List<Operand<TFloat32>> out = new ArrayList<>(in.size());
    for (Operand<?> x : in) {
      out.add(f(x));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> f(Operand<?> x) {
    if (x.asOutput().type() != TFloat32.class) {
      throw new IllegalArgumentException("expected a float tensor, got " + x.asOutput().dataType()
          + " (token ids can only feed an embedding)");
    }
    return (Operand<TFloat32>) x;
  }
}
