package dev.enas.export.onnx;

import static dev.enas.export.onnx.OnnxGraphBuilder.attr;
import static dev.enas.export.onnx.OnnxGraphBuilder.ints;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers one IR op at a time into ONNX nodes, computing what the backends compute at evaluation: images are NCHW and
 * vectors {@code [batch, width]} (the IR's last dimension is ONNX axis 1 in both), SAME padding is TensorFlow's (the
 * odd element at the bottom and right), average pooling counts only real elements, batch norm uses the moving
 * averages (or the batch's own statistics, see {@link ExportSettings.BatchNormMode}), dropout and drop-path are
 * identities. Parameters become initializers named by their keys, in ONNX's layouts (convolution kernels OIHW).
 */
final class OpLowering {

  /** A lowered value: its ONNX name, its IR shape (per example), whether it holds token ids (int64) not floats. */
  record Value(String name, TensorShape shape, boolean tokenIds) {}

  /** The op kinds this exporter lowers; a graph with any other is refused before anything is written. */
  static final Set<Class<? extends Op>> LOWERED = Set.of(Op.Input.class, Op.Conv2d.class, Op.DepthwiseConv2d.class,
      Op.Pool.class, Op.Identity.class, Op.FactorizedReduce.class, Op.BatchNorm.class, Op.Act.class, Op.Add.class,
      Op.Mean.class, Op.Concat.class, Op.GlobalAvgPool.class, Op.Dense.class, Op.TiedDense.class, Op.Dropout.class,
      Op.DropPath.class, Op.AuxLogits.class, Op.ActivationPenalty.class, Op.Embedding.class, Op.Highway.class,
      Op.Lstm.class, Op.Slice.class);

  /** How a parameter's IR layout becomes the initializer an ONNX op reads. */
  private enum Layout { AS_IS, CONV_OIHW, DEPTHWISE_OIHW }

  private final OnnxGraphBuilder g;
  private final ModelWeights weights;
  private final Map<ParamKey, ParamSpec> specs;
  private final ExportSettings settings;
  private final Map<String, String> initializers = new HashMap<>();

  OpLowering(OnnxGraphBuilder g, ModelWeights weights, List<ParamSpec> params, ExportSettings settings) {
    this.g = g;
    this.weights = weights;
    this.settings = settings;
    this.specs = new HashMap<>();
    for (ParamSpec p : params) {
      specs.put(p.key(), p);
    }
  }

  /**
   * The ONNX value of {@code op} applied to {@code in}, its output named after {@code name}; {@code out} is the op's
   * IR output shape.
   */
  Value lower(String name, Op op, List<Value> in, TensorShape out) {
    if (op instanceof Op.Embedding o) {
      if (!in.get(0).tokenIds()) {
        throw new ExportException("an embedding reads token ids (the \"tokens\" input), got a float tensor");
      }
      String gathered = g.node("Gather", List.of(param(o.key(), Layout.AS_IS), in.get(0).name()), name + "/gather",
          attr("axis", 0L));
      return value(g.node("Flatten", List.of(gathered), name, attr("axis", 1L)), out);
    }
    for (Value v : in) {
      if (v.tokenIds()) {
        throw new ExportException("reads token ids; only an embedding can read the \"tokens\" input");
      }
    }
    if (op instanceof Op.Identity || op instanceof Op.Dropout || op instanceof Op.DropPath
        || op instanceof Op.AuxLogits || op instanceof Op.ActivationPenalty) {
      return in.get(0);
    }
    if (op instanceof Op.Conv2d o) {
      return value(conv(name, in.get(0), param(o.weights(), Layout.CONV_OIHW), o.kernel(), o.stride(), o.dilation(),
          o.padding(), 1), out);
    }
    if (op instanceof Op.DepthwiseConv2d o) {
      return value(conv(name, in.get(0), param(o.weights(), Layout.DEPTHWISE_OIHW), o.kernel(), o.stride(),
          o.dilation(), Op.Padding.SAME, in.get(0).shape().channels()), out);
    }
    if (op instanceof Op.Pool o) {
      long[] pads = o.padding() == Op.Padding.SAME ? samePads(in.get(0).shape(), o.kernel(), o.stride()) : new long[4];
      String type = o.kind() == Op.Pool.Kind.MAX ? "MaxPool" : "AveragePool";
      List<dev.enas.proto.onnx.AttributeProto> attrs = new ArrayList<>(List.of(ints("kernel_shape", o.kernel(),
          o.kernel()), ints("strides", o.stride(), o.stride()), ints("pads", pads)));
      if (o.kind() == Op.Pool.Kind.AVG) {
        attrs.add(attr("count_include_pad", 0L));
      }
      return value(g.node(type, List.of(in.get(0).name()), name, attrs.toArray(new dev.enas.proto.onnx.AttributeProto[0])),
          out);
    }
    if (op instanceof Op.FactorizedReduce o) {
      return value(batchNorm(name, o.key().child("bn"), factorizedReduce(name, in.get(0), o), 3), out);
    }
    if (op instanceof Op.BatchNorm o) {
      return value(batchNorm(name, o.key(), in.get(0).name(), in.get(0).shape().rank()), out);
    }
    if (op instanceof Op.Act o) {
      return o.fn() == Activation.IDENTITY ? in.get(0) : value(activation(name, o.fn(), in.get(0).name()), out);
    }
    if (op instanceof Op.Add) {
      return in.size() == 1 ? in.get(0) : value(g.node("Sum", names(in), name), out);
    }
    if (op instanceof Op.Mean) {
      return in.size() == 1 ? in.get(0) : value(g.node("Mean", names(in), name), out);
    }
    if (op instanceof Op.Concat) {
      return in.size() == 1 ? in.get(0) : value(g.node("Concat", names(in), name, attr("axis", 1L)), out);
    }
    if (op instanceof Op.GlobalAvgPool) {
      String pooled = g.node("GlobalAveragePool", names(in), name + "/pool");
      return value(g.node("Flatten", List.of(pooled), name, attr("axis", 1L)), out);
    }
    if (op instanceof Op.Dense o) {
      List<String> operands = new ArrayList<>(List.of(in.get(0).name(), param(o.key().child("w"), Layout.AS_IS)));
      if (o.bias()) {
        operands.add(param(o.key().child("b"), Layout.AS_IS));
      }
      return value(g.node("Gemm", operands, name), out);
    }
    if (op instanceof Op.TiedDense o) {
      // Y = X · tableᵀ + bias: the embedding's own initializer, read transposed.
      return value(g.node("Gemm", List.of(in.get(0).name(), param(o.table(), Layout.AS_IS),
          param(o.bias(), Layout.AS_IS)), name, attr("transB", 1L)), out);
    }
    if (op instanceof Op.Highway o) {
      return value(highway(name, o, in), out);
    }
    if (op instanceof Op.Lstm o) {
      return value(lstm(name, o, in), out);
    }
    if (op instanceof Op.Slice o) {
      return value(g.node("Slice", List.of(in.get(0).name(), g.int64s(name + "/starts", o.from()),
          g.int64s(name + "/ends", o.to()), g.int64s(name + "/axes", 1)), name), out);
    }
    throw new ExportException("op " + op.getClass().getSimpleName() + " has no ONNX lowering");
  }

  private static Value value(String name, TensorShape shape) {
    return new Value(name, shape, false);
  }

  private static List<String> names(List<Value> in) {
    return in.stream().map(Value::name).toList();
  }

  private String conv(String name, Value x, String w, int kernel, int stride, int dilation, Op.Padding padding,
      int groups) {
    int window = (kernel - 1) * dilation + 1;
    long[] pads = padding == Op.Padding.SAME ? samePads(x.shape(), window, stride) : new long[4];
    return g.node("Conv", List.of(x.name(), w), name, ints("kernel_shape", kernel, kernel),
        ints("strides", stride, stride), ints("dilations", dilation, dilation), ints("pads", pads),
        attr("group", (long) groups));
  }

  /**
   * TensorFlow's SAME padding of an [H, W, C] image for a square window, as ONNX's {@code pads} (top, left, bottom,
   * right): per axis {@code total = max((ceil(in / stride) - 1) * stride + window - in, 0)}, half before, the rest
   * after.
   */
  static long[] samePads(TensorShape image, int window, int stride) {
    long[] h = samePad(image.height(), window, stride);
    long[] w = samePad(image.width(), window, stride);
    return new long[] {h[0], w[0], h[1], w[1]};
  }

  private static long[] samePad(long in, int window, int stride) {
    long out = (in + stride - 1) / stride;
    long total = Math.max((out - 1) * stride + window - in, 0);
    return new long[] {total / 2, total - total / 2};
  }

  /**
   * ENAS's factorized reduction: a 1x1 stride-2 convolution of pixel (2i, 2j) for the first half of the channels and
   * of pixel (2i+1, 2j+1) (zero past the border) for the second, concatenated; batch norm follows in the caller.
   */
  private String factorizedReduce(String name, Value x, Op.FactorizedReduce o) {
    TensorShape s = x.shape();
    String p1 = g.node("Conv", List.of(x.name(), param(o.key().child("path1"), Layout.CONV_OIHW)), name + "/path1",
        ints("kernel_shape", 1, 1), ints("strides", 2, 2));
    String padded = g.node("Pad", List.of(x.name(), g.int64s(name + "/pads", 0, 0, 0, 0, 0, 0, 1, 1)),
        name + "/padded");
    String shifted = g.node("Slice", List.of(padded, g.int64s(name + "/starts", 1, 1),
        g.int64s(name + "/ends", s.height() + 1L, s.width() + 1L), g.int64s(name + "/axes", 2, 3)), name + "/shifted");
    String p2 = g.node("Conv", List.of(shifted, param(o.key().child("path2"), Layout.CONV_OIHW)), name + "/path2",
        ints("kernel_shape", 1, 1), ints("strides", 2, 2));
    return g.node("Concat", List.of(p1, p2), name + "/concat", attr("axis", 1L));
  }

  /**
   * Batch norm over every axis but ONNX axis 1 (channels, or a vector's width); {@code exampleRank} 3 for images, 1
   * for vectors. With batch statistics the mean and the biased variance are the batch's, as the backends normalise
   * with them when they evaluate with {@code bn_eval: BATCH_STATISTICS}.
   */
  private String batchNorm(String name, ParamKey key, String x, int exampleRank) {
    String scale = param(key.child("scale"), Layout.AS_IS);
    String offset = param(key.child("offset"), Layout.AS_IS);
    String mean;
    String variance;
    if (settings.batchNorm() == ExportSettings.BatchNormMode.MOVING_AVERAGES) {
      mean = param(key.child("moving_mean"), Layout.AS_IS);
      variance = param(key.child("moving_variance"), Layout.AS_IS);
    } else {
      long[] axes = exampleRank == 3 ? new long[] {0, 2, 3} : new long[] {0};
      String kept = g.node("ReduceMean", List.of(x), name + "/batch_mean_kept", ints("axes", axes),
          attr("keepdims", 1L));
      String centred = g.node("Sub", List.of(x, kept), name + "/centred");
      String squares = g.node("Mul", List.of(centred, centred), name + "/squares");
      mean = g.node("ReduceMean", List.of(x), name + "/batch_mean", ints("axes", axes), attr("keepdims", 0L));
      variance = g.node("ReduceMean", List.of(squares), name + "/batch_variance", ints("axes", axes),
          attr("keepdims", 0L));
    }
    return g.node("BatchNormalization", List.of(x, scale, offset, mean, variance), name,
        attr("epsilon", (float) settings.bnEpsilon()));
  }

  private String activation(String name, Activation fn, String x) {
    return switch (fn) {
      case RELU -> g.node("Relu", List.of(x), name);
      case TANH -> g.node("Tanh", List.of(x), name);
      case SIGMOID -> g.node("Sigmoid", List.of(x), name);
      case IDENTITY -> x;
    };
  }

  /**
   * {@code [h, c] = concat(inputs) W}; {@code carry + sigmoid(c) * (fn(h) - carry)}, carry the last input (read by the
   * product too unless the op's carry is separate).
   */
  /** The IR's LSTM step from primitives (gates i, f, g, o in W's column order), so any runtime reads it. */
  private String lstm(String name, Op.Lstm o, List<Value> in) {
    long h = in.get(1).shape().dim(0);
    String x = g.node("Concat", List.of(in.get(0).name(), in.get(1).name()), name + "/inputs", attr("axis", 1L));
    String y = g.node("Add", List.of(g.node("MatMul", List.of(x, param(o.key().child("w"), Layout.AS_IS)),
        name + "/matmul"), param(o.key().child("b"), Layout.AS_IS)), name + "/gates");
    List<String> gates = g.nodes("Split", List.of(y, g.int64s(name + "/split", h, h, h, h)),
        List.of(name + "/i", name + "/f", name + "/g", name + "/o"), attr("axis", 1L));
    String forget = g.node("Mul", List.of(g.node("Sigmoid", List.of(gates.get(1)), name + "/f_gate"),
        in.get(2).name()), name + "/kept");
    String write = g.node("Mul", List.of(g.node("Sigmoid", List.of(gates.get(0)), name + "/i_gate"),
        g.node("Tanh", List.of(gates.get(2)), name + "/g_act")), name + "/written");
    String c = g.node("Add", List.of(forget, write), name + "/c");
    String next = g.node("Mul", List.of(g.node("Sigmoid", List.of(gates.get(3)), name + "/o_gate"),
        g.node("Tanh", List.of(c), name + "/c_act")), name + "/h");
    return g.node("Concat", List.of(next, c), name, attr("axis", 1L));
  }

  private String highway(String name, Op.Highway o, List<Value> in) {
    Value carry = in.get(in.size() - 1);
    long h = carry.shape().dim(0);
    // With a separate carry (enas_lm's dropped-state product) the product reads every input but the last.
    List<Value> product = o.carrySeparate() ? in.subList(0, in.size() - 1) : in;
    String x = product.size() == 1 ? product.get(0).name()
        : g.node("Concat", names(product), name + "/inputs", attr("axis", 1L));
    String y = g.node("MatMul", List.of(x, param(o.weights(), Layout.AS_IS)), name + "/matmul");
    List<String> halves = g.nodes("Split", List.of(y, g.int64s(name + "/split", h, h)),
        List.of(name + "/pre", name + "/gate_logits"), attr("axis", 1L));
    String fn = activation(name + "/act", o.fn(), halves.get(0));
    String gate = g.node("Sigmoid", List.of(halves.get(1)), name + "/gate");
    String diff = g.node("Sub", List.of(fn, carry.name()), name + "/diff");
    String step = g.node("Mul", List.of(gate, diff), name + "/gated");
    return g.node("Add", List.of(carry.name(), step), name);
  }

  /** The initializer of a graph parameter in an ONNX layout, made once per key and layout. */
  private String param(ParamKey key, Layout layout) {
    String id = key.value() + "#" + layout;
    String name = initializers.get(id);
    if (name != null) {
      return name;
    }
    ParamSpec spec = specs.get(key);
    if (spec == null) {
      throw new IllegalStateException("parameter " + key + " is not among the graph's parameters");
    }
    float[] v = weights.values(spec);
    int[] d = spec.shape().dims();
    name = switch (layout) {
      case AS_IS -> g.floats(key.value(), longs(d), v);
      // [k, k, C_in, C_out] -> [C_out, C_in, k, k]
      case CONV_OIHW -> g.floats(key.value() + "/oihw", new long[] {d[3], d[2], d[0], d[1]},
          permute(v, d, new int[] {3, 2, 0, 1}));
      // [k, k, C, 1] -> [C, 1, k, k]: one group per channel
      case DEPTHWISE_OIHW -> g.floats(key.value() + "/oihw", new long[] {d[2], d[3], d[0], d[1]},
          permute(v, d, new int[] {2, 3, 0, 1}));
    };
    initializers.put(id, name);
    return name;
  }

  private static long[] longs(int[] d) {
    long[] out = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i];
    }
    return out;
  }

  /** A row-major 4-D tensor of dims {@code d} with its axes reordered: output axis i is input axis {@code perm[i]}. */
  static float[] permute(float[] v, int[] d, int[] perm) {
    int[] od = new int[4];
    for (int i = 0; i < 4; i++) {
      od[i] = d[perm[i]];
    }
    int[] stride = {d[1] * d[2] * d[3], d[2] * d[3], d[3], 1};
    float[] out = new float[v.length];
    int o = 0;
    int[] idx = new int[4];
    for (idx[0] = 0; idx[0] < od[0]; idx[0]++) {
      for (idx[1] = 0; idx[1] < od[1]; idx[1]++) {
        for (idx[2] = 0; idx[2] < od[2]; idx[2]++) {
          for (idx[3] = 0; idx[3] < od[3]; idx[3]++) {
            int src = 0;
            for (int i = 0; i < 4; i++) {
              src += idx[i] * stride[perm[i]];
            }
            out[o++] = v[src];
          }
        }
      }
    }
    return out;
  }
}
