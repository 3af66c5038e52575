package dev.enas.api.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A typed operation of the network IR. The set is closed: every backend implements every op, so
 * a search space written against the IR runs on every backend.
 *
 * <p>Spatial ops use SAME padding unless they take a {@link Padding}. Shapes exclude the batch dimension.
 *
 * <p>A graph's first output is its main logits (or, for a recurrent cell, its logits then its next state). Any
 * further output whose node op is {@link AuxLogits} is an auxiliary classifier: its weighted loss joins the training
 * loss and evaluation ignores it.
 */
public sealed interface Op {

  /** Every op kind of the IR, in declaration order: what a backend that lowers them all reports as supported. */
  static Set<Class<? extends Op>> kinds() {
    Set<Class<? extends Op>> ops = new LinkedHashSet<>();
    for (Class<?> c : Op.class.getPermittedSubclasses()) {
      ops.add(c.asSubclass(Op.class));
    }
    return ops;
  }

  /** How a spatial op pads: SAME keeps {@code ceil(size / stride)} outputs, VALID reads only real elements. */
  enum Padding { SAME, VALID }

  /** Number of inputs the op takes, or -1 for one or more. */
  int arity();

  /** The output shape for these input shapes; throws {@link IrException} when they do not fit. */
  TensorShape outputShape(List<TensorShape> inputs);

  /** The tensors this op owns, for these input shapes. */
  default List<ParamSpec> params(List<TensorShape> inputs) {
    return List.of();
  }

  /** Multiply-adds times two for one example; 0 for ops whose cost is negligible. */
  default long flops(List<TensorShape> inputs) {
    return 0;
  }

  /** This op with every parameter key mapped; ops without parameters return themselves. */
  default Op mapKeys(UnaryOperator<ParamKey> f) {
    return this;
  }

  /** A short human-readable name, as in the paper's figures. */
  String label();

  /** A graph input of the given shape; {@code name} is what a backend feeds ("images", "tokens", "state"). */
  record Input(String name, TensorShape shape) implements Op {
    public int arity() {
      return 0;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return shape;
    }

    public String label() {
      return "input " + name;
    }
  }

  /** A 2-D convolution without bias; weights shaped {@code [k, k, C_in, C_out]}. */
  record Conv2d(int kernel, int stride, int dilation, int outChannels, ParamKey weights, Padding padding)
      implements Op {
    public Conv2d {
      positive(kernel, "kernel");
      positive(stride, "stride");
      positive(dilation, "dilation");
      positive(outChannels, "outChannels");
      java.util.Objects.requireNonNull(padding, "padding");
    }

    /** A convolution with SAME padding. */
    public Conv2d(int kernel, int stride, int dilation, int outChannels, ParamKey weights) {
      this(kernel, stride, dilation, outChannels, weights, Padding.SAME);
    }

    public static Conv2d of(int kernel, int outChannels, ParamKey weights) {
      return new Conv2d(kernel, 1, 1, outChannels, weights);
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      TensorShape x = image(in.get(0), this);
      int window = (kernel - 1) * dilation + 1;
      return TensorShape.of(outSize(x.height(), window, stride, padding, this),
          outSize(x.width(), window, stride, padding, this), outChannels);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      return List.of(ParamSpec.trainable(weights, TensorShape.of(kernel, kernel, in.get(0).channels(), outChannels),
          ParamSpec.Init.HE_NORMAL));
    }

    public long flops(List<TensorShape> in) {
      TensorShape out = outputShape(in);
      return 2L * out.height() * out.width() * kernel * kernel * in.get(0).channels() * outChannels;
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new Conv2d(kernel, stride, dilation, outChannels, f.apply(weights), padding);
    }

    public String label() {
      return "conv " + kernel + "x" + kernel + (stride > 1 ? " /" + stride : "") + (dilation > 1 ? " d" + dilation : "")
          + (padding == Padding.VALID ? " valid" : "");
    }
  }

  /** A depthwise 2-D convolution with multiplier 1; weights shaped {@code [k, k, C, 1]}. */
  record DepthwiseConv2d(int kernel, int stride, int dilation, ParamKey weights) implements Op {
    public DepthwiseConv2d {
      positive(kernel, "kernel");
      positive(stride, "stride");
      positive(dilation, "dilation");
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      TensorShape x = image(in.get(0), this);
      return TensorShape.of(ceilDiv(x.height(), stride), ceilDiv(x.width(), stride), x.channels());
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      return List.of(ParamSpec.trainable(weights, TensorShape.of(kernel, kernel, in.get(0).channels(), 1),
          ParamSpec.Init.HE_NORMAL));
    }

    public long flops(List<TensorShape> in) {
      TensorShape out = outputShape(in);
      return 2L * out.height() * out.width() * kernel * kernel * out.channels();
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new DepthwiseConv2d(kernel, stride, dilation, f.apply(weights));
    }

    public String label() {
      return "dw " + kernel + "x" + kernel + (stride > 1 ? " /" + stride : "");
    }
  }

  /** Max or average pooling. Average pooling counts only real (unpadded) elements. */
  record Pool(Kind kind, int kernel, int stride, Padding padding) implements Op {
    /** Which reduction the pool applies. */
    public enum Kind { MAX, AVG }

    public Pool {
      java.util.Objects.requireNonNull(kind, "kind");
      positive(kernel, "kernel");
      positive(stride, "stride");
      java.util.Objects.requireNonNull(padding, "padding");
    }

    /** A pool with SAME padding. */
    public Pool(Kind kind, int kernel, int stride) {
      this(kind, kernel, stride, Padding.SAME);
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      TensorShape x = image(in.get(0), this);
      return TensorShape.of(outSize(x.height(), kernel, stride, padding, this),
          outSize(x.width(), kernel, stride, padding, this), x.channels());
    }

    public String label() {
      return (kind == Kind.MAX ? "max " : "avg ") + kernel + "x" + kernel + (stride > 1 ? " /" + stride : "")
          + (padding == Padding.VALID ? " valid" : "");
    }
  }

  /** Passes its input through. */
  record Identity() implements Op {
    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return in.get(0);
    }

    public String label() {
      return "identity";
    }
  }

  /**
   * ENAS's factorized reduction: halves height and width with two stride-2 1x1 convolutions, the
   * second on the input shifted by one pixel, concatenated to {@code outChannels} and batch-normalised.
   */
  record FactorizedReduce(int outChannels, ParamKey key) implements Op {
    public FactorizedReduce {
      positive(outChannels, "outChannels");
      if (outChannels % 2 != 0) {
        throw new IrException("factorized reduction needs an even channel count, got " + outChannels);
      }
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      TensorShape x = image(in.get(0), this);
      return TensorShape.of(ceilDiv(x.height(), 2), ceilDiv(x.width(), 2), outChannels);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      int c = in.get(0).channels();
      List<ParamSpec> p = new ArrayList<>();
      p.add(ParamSpec.trainable(key.child("path1"), TensorShape.of(1, 1, c, outChannels / 2), ParamSpec.Init.HE_NORMAL));
      p.add(ParamSpec.trainable(key.child("path2"), TensorShape.of(1, 1, c, outChannels / 2), ParamSpec.Init.HE_NORMAL));
      p.addAll(BatchNorm.specs(key.child("bn"), outChannels));
      return p;
    }

    public long flops(List<TensorShape> in) {
      TensorShape out = outputShape(in);
      return 2L * out.height() * out.width() * in.get(0).channels() * outChannels;
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new FactorizedReduce(outChannels, f.apply(key));
    }

    public String label() {
      return "factorized reduce";
    }
  }

  /** Batch normalisation over the last dimension, with scale and offset and moving statistics. */
  record BatchNorm(ParamKey key) implements Op {
    static List<ParamSpec> specs(ParamKey key, int channels) {
      TensorShape s = TensorShape.of(channels);
      return List.of(
          ParamSpec.trainable(key.child("scale"), s, ParamSpec.Init.ONES),
          ParamSpec.trainable(key.child("offset"), s, ParamSpec.Init.ZEROS),
          ParamSpec.state(key.child("moving_mean"), s, ParamSpec.Init.ZEROS),
          ParamSpec.state(key.child("moving_variance"), s, ParamSpec.Init.ONES));
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return in.get(0);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      return specs(key, in.get(0).channels());
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new BatchNorm(f.apply(key));
    }

    public String label() {
      return "bn";
    }
  }

  /** An element-wise activation. */
  record Act(Activation fn) implements Op {
    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return in.get(0);
    }

    public String label() {
      return fn.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Element-wise sum of one or more inputs of equal shape. */
  record Add() implements Op {
    public int arity() {
      return -1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return sameShape(in, this);
    }

    public String label() {
      return "add";
    }
  }

  /** Element-wise mean of one or more inputs of equal shape. */
  record Mean() implements Op {
    public int arity() {
      return -1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return sameShape(in, this);
    }

    public String label() {
      return "mean";
    }
  }

  /** Concatenation along the last dimension; other dimensions must agree. */
  record Concat() implements Op {
    public int arity() {
      return -1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      int[] first = in.get(0).dims();
      int channels = 0;
      for (TensorShape s : in) {
        int[] d = s.dims();
        if (d.length != first.length) {
          throw new IrException("concat inputs differ in rank: " + in);
        }
        for (int i = 0; i < d.length - 1; i++) {
          if (d[i] != first[i]) {
            throw new IrException("concat inputs differ outside the last dimension: " + in);
          }
        }
        channels += s.channels();
      }
      return in.get(0).withChannels(channels);
    }

    public String label() {
      return "concat";
    }
  }

  /** Mean over height and width: {@code [H, W, C] -> [C]}. */
  record GlobalAvgPool() implements Op {
    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return TensorShape.of(image(in.get(0), this).channels());
    }

    public String label() {
      return "global avg pool";
    }
  }

  /** A fully connected layer {@code [D] -> [units]}, with an optional bias. */
  record Dense(int units, boolean bias, ParamKey key) implements Op {
    public Dense {
      positive(units, "units");
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (in.get(0).rank() != 1) {
        throw new IrException("dense expects a vector input, got " + in.get(0));
      }
      return TensorShape.of(units);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      ParamSpec w = ParamSpec.trainable(key.child("w"), TensorShape.of(in.get(0).dim(0), units), ParamSpec.Init.HE_NORMAL);
      return bias ? List.of(w, ParamSpec.trainable(key.child("b"), TensorShape.of(units), ParamSpec.Init.ZEROS)) : List.of(w);
    }

    public long flops(List<TensorShape> in) {
      return 2L * in.get(0).dim(0) * units;
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new Dense(units, bias, f.apply(key));
    }

    public String label() {
      return "dense " + units;
    }
  }

  /**
   * A fully connected layer {@code [D] -> [units]} that reads its weights as {@code [units, D]}, so that it can share
   * an embedding's table: a language model's softmax tied to its word embedding ({@code table}, the embedding's key,
   * declared as {@link Embedding} declares it), with a bias of its own.
   */
  record TiedDense(int units, ParamKey table, ParamKey bias) implements Op {
    public TiedDense {
      positive(units, "units");
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (in.get(0).rank() != 1) {
        throw new IrException("tied dense expects a vector input, got " + in.get(0));
      }
      return TensorShape.of(units);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      // as Embedding declares the table; neither it nor the softmax bias is weight-decayed (enas_lm)
      return List.of(ParamSpec.undecayed(table, TensorShape.of(units, in.get(0).dim(0)), ParamSpec.Init.UNIFORM_SMALL),
          ParamSpec.undecayed(bias, TensorShape.of(units), ParamSpec.Init.ZEROS));
    }

    public long flops(List<TensorShape> in) {
      return 2L * in.get(0).dim(0) * units;
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new TiedDense(units, f.apply(table), f.apply(bias));
    }

    public String label() {
      return "dense " + units + " tied to " + table.value();
    }
  }

  /**
   * Inverted dropout, active in training only: {@code rate} is the fraction dropped, survivors are scaled by {@code 1 /
   * (1 - rate)}.
   *
   * <p>With no {@code mask} each element is dropped on its own. A named {@code mask} is variational (Gal and
   * Ghahramani; the authors' language model): one mask per example and feature, drawn once per training step and
   * reused at every step of a sequence, and shared by every dropout of the graph that names the same mask (their inputs
   * must have the same width). enas_lm drops the cell's input, the state between nodes and the output this way.
   *
   * @param mask the shared mask's name, or null for an independent mask per element
   */
  record Dropout(double rate, String mask) implements Op {
    public Dropout {
      if (!(rate >= 0 && rate < 1)) {
        throw new IrException("dropout rate must be in [0, 1), got " + rate);
      }
      if (mask != null && mask.isBlank()) {
        throw new IrException("a dropout mask name must not be blank (null: one mask per element)");
      }
    }

    /** Dropout with an independent mask per element. */
    public Dropout(double rate) {
      this(rate, null);
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (mask != null && in.get(0).rank() != 1) {
        throw new IrException("variational dropout (mask \"" + mask + "\") applies to vectors [width], got "
            + in.get(0));
      }
      return in.get(0);
    }

    public String label() {
      return "dropout " + rate + (mask != null ? " (mask " + mask + ")" : "");
    }
  }

  /**
   * Drop-path, active in training only: each example's whole input is zeroed with probability
   * {@code rate = maxDropRate * progress} and the others are scaled by {@code 1 / (1 - rate)}, where
   * {@code progress} in [0, 1] is the fraction of training done (see
   * {@link dev.enas.api.backend.Backend#train(Graph, dev.enas.api.dataset.Batch, double, double)}). A space bakes any
   * per-layer factor into {@code maxDropRate}. Identity at evaluation and at progress 0.
   */
  record DropPath(double maxDropRate) implements Op {
    public DropPath {
      if (!(maxDropRate >= 0 && maxDropRate < 1)) {
        throw new IrException("drop-path maxDropRate must be in [0, 1), got " + maxDropRate);
      }
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return in.get(0);
    }

    public String label() {
      return "drop path " + maxDropRate;
    }
  }

  /**
   * Marks auxiliary-classifier logits {@code [classes]}: an identity whose node, named as a graph output after the
   * first, adds {@code lossWeight} times its cross-entropy to the training loss (0.4 in the paper). Evaluation ignores
   * such outputs.
   */
  record AuxLogits(double lossWeight) implements Op {
    public AuxLogits {
      if (!(lossWeight > 0) || Double.isInfinite(lossWeight)) {
        throw new IrException("auxiliary loss weight must be a finite value > 0, got " + lossWeight);
      }
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (in.get(0).rank() != 1) {
        throw new IrException("auxiliary logits must be a vector [classes], got " + in.get(0));
      }
      return in.get(0);
    }

    public String label() {
      return "aux logits x" + lossWeight;
    }
  }

  /**
   * A token embedding: an input of token ids {@code [1]} becomes {@code [dim]}.
   *
   * @param wordDropout in training, the fraction of the vocabulary's rows dropped for a whole step (each word type's
   *     vector zeroed wherever it occurs, the others scaled by {@code 1 / (1 - wordDropout)}; enas_lm's word dropout);
   *     a softmax tied to the table reads it undropped
   */
  record Embedding(int vocabulary, int dim, ParamKey key, double wordDropout) implements Op {
    public Embedding {
      positive(vocabulary, "vocabulary");
      positive(dim, "dim");
      if (!(wordDropout >= 0 && wordDropout < 1)) {
        throw new IrException("word dropout rate must be in [0, 1), got " + wordDropout);
      }
    }

    /** An embedding without word dropout. */
    public Embedding(int vocabulary, int dim, ParamKey key) {
      this(vocabulary, dim, key, 0);
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      return TensorShape.of(dim);
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      // enas_lm decays the cell's weights only
      return List.of(ParamSpec.undecayed(key, TensorShape.of(vocabulary, dim), ParamSpec.Init.UNIFORM_SMALL));
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new Embedding(vocabulary, dim, f.apply(key), wordDropout);
    }

    public String label() {
      return "embedding " + vocabulary + "x" + dim + (wordDropout > 0 ? " (word dropout " + wordDropout + ")" : "");
    }
  }

  /**
   * A recurrent-cell highway node: {@code [h, c] = concat(inputs) W}, then
   * {@code s = carry + sigmoid(c) * (fn(h) - carry)}, where {@code carry} is the last input.
   * W is shaped {@code [sum of input widths, 2H]} with H the width of the last input.
   *
   * <p>With {@code carrySeparate} the last input is the carry only and the product reads the others: enas_lm drops
   * out what enters the product ({@code [x * mask_x, h * mask_l] W}) but carries the undropped state.
   */
  record Highway(Activation fn, ParamKey weights, boolean carrySeparate) implements Op {
    /** A highway whose product reads every input, the carry included. */
    public Highway(Activation fn, ParamKey weights) {
      this(fn, weights, false);
    }

    public int arity() {
      return -1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      for (TensorShape s : in) {
        if (s.rank() != 1) {
          throw new IrException("highway inputs must be vectors, got " + in);
        }
      }
      if (carrySeparate && in.size() < 2) {
        throw new IrException("a highway with a separate carry needs the product's inputs and then the carry, got "
            + in.size() + " input");
      }
      return in.get(in.size() - 1);
    }

    /** The total width of the inputs the product reads. */
    public int productWidth(List<TensorShape> in) {
      int n = carrySeparate ? in.size() - 1 : in.size();
      return in.subList(0, n).stream().mapToInt(s -> s.dim(0)).sum();
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      int h = in.get(in.size() - 1).dim(0);
      return List.of(ParamSpec.trainable(weights, TensorShape.of(productWidth(in), 2 * h),
          ParamSpec.Init.UNIFORM_SMALL));
    }

    public long flops(List<TensorShape> in) {
      return 2L * productWidth(in) * 2 * in.get(in.size() - 1).dim(0);
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new Highway(fn, f.apply(weights), carrySeparate);
    }

    public String label() {
      return "highway " + fn.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One step of an LSTM (Hochreiter and Schmidhuber; the gates of Zaremba et al.) over the inputs {@code x} [E],
   * {@code h} [H] and {@code c} [H]: {@code [i, f, g, o] = [x, h] W + b},
   * {@code c' = sigmoid(f) * c + sigmoid(i) * tanh(g)}, {@code h' = sigmoid(o) * tanh(c')}. The output is
   * {@code [h', c']} [2H], so that one state vector carries both halves between steps ({@link Slice} takes them
   * apart). W is {@code [E + H, 4H]} (key {@code <key>/w}) and b {@code [4H]} ({@code <key>/b}), both uniform in
   * [-0.05, 0.05] as Zaremba et al. initialise every weight.
   */
  record Lstm(ParamKey key) implements Op {
    public int arity() {
      return 3;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      for (TensorShape s : in) {
        if (s.rank() != 1) {
          throw new IrException("LSTM inputs (x, h, c) must be vectors, got " + in);
        }
      }
      if (in.get(1).dim(0) != in.get(2).dim(0)) {
        throw new IrException("LSTM state halves h and c must have the same width, got " + in.get(1) + " and "
            + in.get(2));
      }
      return TensorShape.of(2 * in.get(1).dim(0));
    }

    public List<ParamSpec> params(List<TensorShape> in) {
      int x = in.get(0).dim(0);
      int h = in.get(1).dim(0);
      return List.of(
          ParamSpec.trainable(key.child("w"), TensorShape.of(x + h, 4 * h), ParamSpec.Init.UNIFORM_SMALL),
          ParamSpec.trainable(key.child("b"), TensorShape.of(4 * h), ParamSpec.Init.UNIFORM_SMALL));
    }

    public long flops(List<TensorShape> in) {
      long h = in.get(1).dim(0);
      return 2L * (in.get(0).dim(0) + h) * 4 * h;
    }

    public Op mapKeys(UnaryOperator<ParamKey> f) {
      return new Lstm(f.apply(key));
    }

    public String label() {
      return "LSTM";
    }
  }

  /** Elements {@code [from, to)} of a vector: {@code [D] -> [to - from]}. */
  record Slice(int from, int to) implements Op {
    public Slice {
      if (from < 0 || to <= from) {
        throw new IrException("a slice [from, to) needs 0 <= from < to, got [" + from + ", " + to + ")");
      }
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (in.get(0).rank() != 1 || in.get(0).dim(0) < to) {
        throw new IrException("slice [" + from + ", " + to + ") needs a vector of at least " + to + " elements, got "
            + in.get(0));
      }
      return TensorShape.of(to - from);
    }

    public String label() {
      return "slice [" + from + ", " + to + ")";
    }
  }

  /**
   * Marks a language model's cell output {@code [H]}: an identity whose values over a training window add
   * {@code l2 * mean(a^2) + slowness * mean((a[t] - a[t-1])^2)} to the training loss (enas_lm's activation
   * regulariser alpha and its slowness regulariser beta; the means run over examples, steps and width, the differences
   * over consecutive steps within the window). The reported loss stays the cross-entropy, and evaluation ignores the
   * penalty. At most one node of a graph may carry it.
   */
  record ActivationPenalty(double l2, double slowness) implements Op {
    public ActivationPenalty {
      if (!(l2 >= 0) || Double.isInfinite(l2) || !(slowness >= 0) || Double.isInfinite(slowness)) {
        throw new IrException("activation penalty weights must be finite values >= 0, got l2 " + l2 + ", slowness "
            + slowness);
      }
    }

    public int arity() {
      return 1;
    }

    public TensorShape outputShape(List<TensorShape> in) {
      if (in.get(0).rank() != 1) {
        throw new IrException("an activation penalty applies to a cell output [width], got " + in.get(0));
      }
      return in.get(0);
    }

    public String label() {
      return "activation penalty l2 " + l2 + " slowness " + slowness;
    }
  }


  private static void positive(int v, String name) {
    if (v <= 0) {
      throw new IrException(name + " must be positive, got " + v);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Output size along one axis for a window of {@code window} input elements (dilation included). */
  private static int outSize(int size, int window, int stride, Padding padding, Op op) {
    if (padding == Padding.SAME) {
      return ceilDiv(size, stride);
    }
    if (size < window) {
      throw new IrException(op.label() + " needs at least " + window + " elements along each spatial axis, got " + size);
    }
    return (size - window) / stride + 1;
  }

  private static TensorShape image(TensorShape s, Op op) {
    if (!s.isImage()) {
      throw new IrException(op.label() + " expects an image [H, W, C], got " + s);
    }
    return s;
  }

  private static TensorShape sameShape(List<TensorShape> in, Op op) {
    for (TensorShape s : in) {
      if (!s.equals(in.get(0))) {
        throw new IrException(op.label() + " inputs must have equal shapes, got " + in);
      }
    }
    return in.get(0);
  }
}
