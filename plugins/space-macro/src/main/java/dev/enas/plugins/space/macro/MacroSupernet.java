package dev.enas.plugins.space.macro;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the macro supernet in the IR: a stem, L layers that each pick one of six ops (a layer choice
 * keyed {@code layer<i>/op}) and any skip connections (a multi input choice keyed {@code layer<i>/skip}),
 * factorized reductions of every kept output after layers L/3-1 and 2L/3-1, and the classifier head.
 */
final class MacroSupernet {
  private final MacroSettings s;
  private final GraphBuilder g = new GraphBuilder();

  private MacroSupernet(MacroSettings s) {
    this.s = s;
  }

  static Graph build(MacroSettings settings) {
    return new MacroSupernet(settings).build();
  }

  /** The name an anchor (a kept output) has in node ids and keys: anchor 0 is the stem, anchor j is layer j-1. */
  static String sourceName(int anchor) {
    return anchor == 0 ? "stem" : "layer" + (anchor - 1);
  }

  private record Tensor(String id, TensorShape shape) {}

  private Graph build() {
    int c = s.channels();
    String images = g.input("images", "images", s.image());
    String stem = g.op("stem/conv", Op.Conv2d.of(3, c, key("stem/conv")), images);
    stem = g.op("stem", new Op.BatchNorm(key("stem/bn")), stem);
    TensorShape shape = s.image().withChannels(c);
    // kept.get(j) is anchor j: the stem, then layers 0, 1, ... (factorized-reduced after each reduction).
    List<Tensor> kept = new ArrayList<>();
    kept.add(new Tensor(stem, shape));
    for (int i = 0; i < s.layers(); i++) {
      Tensor prev = kept.get(kept.size() - 1);
      String opId = i == 0 ? "layer0" : "layer" + i + "/op";
      List<Graph> candidates = new ArrayList<>();
      for (MacroOp op : MacroOp.values()) {
        candidates.add(opGraph(op, prev.shape(), c, "layer" + i + "/" + op.keyName));
      }
      g.layerChoice(opId, "layer" + i + "/op", List.of(prev.id()), MacroOp.labels(), candidates);
      String out = i == 0 ? opId : skips(i, opId, kept.subList(0, i), c);
      kept.add(new Tensor(out, prev.shape().withChannels(c)));
      if (s.reductionLayers().contains(i)) {
        if (s.doubleChannels()) {
          c *= 2;
        }
        List<Tensor> reduced = new ArrayList<>();
        for (int j = 0; j < kept.size(); j++) {
          String id = "reduce_after_layer" + i + "/" + sourceName(j);
          g.op(id, new Op.FactorizedReduce(c, key(id)), kept.get(j).id());
          TensorShape in = kept.get(j).shape();
          reduced.add(new Tensor(id, TensorShape.of((in.height() + 1) / 2, (in.width() + 1) / 2, c)));
        }
        kept = reduced;
      }
    }
    String x = g.op("head/gap", new Op.GlobalAvgPool(), kept.get(kept.size() - 1).id());
    if (s.dropoutRate() > 0) {
      x = g.op("head/dropout", new Op.Dropout(s.dropoutRate()), x);
    }
    g.op("head/fc", new Op.Dense(s.classes(), false, key("head/fc")), x);
    return g.output("head/fc").build();
  }

  /** Merges the op output of layer i with the skips it selects from {@code sources} (anchors 0..i-1). */
  private String skips(int i, String opOut, List<Tensor> sources, int c) {
    String prefix = "layer" + i + "/skip";
    List<String> candidates = new ArrayList<>();
    String fixed = opOut;
    if (s.concatSkips()) {
      // Concatenating k inputs and applying one 1x1 conv equals summing a 1x1 conv of each input with its
      // slice of the weights; the sliced form keeps every weight's shape independent of how many skips a
      // child picks, so children still share them.
      fixed = project(prefix + "/from_op", opOut, c);
      for (int j = 0; j < sources.size(); j++) {
        candidates.add(project(prefix + "/from_" + sourceName(j), sources.get(j).id(), c));
      }
    } else {
      sources.forEach(t -> candidates.add(t.id()));
    }
    g.inputChoice(prefix, prefix, List.of(fixed), candidates, true, Node.Combine.SUM);
    return g.op("layer" + i, new Op.BatchNorm(key(prefix + "/bn")), prefix);
  }

  private String project(String id, String input, int c) {
    String r = g.op(id + "/relu", new Op.Act(Activation.RELU), input);
    return g.op(id, Op.Conv2d.of(1, c, key(id)), r);
  }

  /** One candidate op of a layer as a small graph over its input {@code x}. */
  private Graph opGraph(MacroOp op, TensorShape in, int c, String p) {
    GraphBuilder b = new GraphBuilder();
    Chain x = new Chain(b, b.input("x", "x", in));
    boolean pre = s.preactivation();
    // Every op starts with a 1x1 conv to C (reference §1): pre-activation ReLU-conv-BN or conv-BN-ReLU.
    x = pre ? x.relu("in_relu").then("in_conv", Op.Conv2d.of(1, c, key(p + "/in_conv"))).bn("in_bn", p)
        : x.then("in_conv", Op.Conv2d.of(1, c, key(p + "/in_conv"))).bn("in_bn", p).relu("in_relu");
    MacroOp.Kind kind = op.kind == MacroOp.Kind.SEPARABLE && s.separableAsRegular() ? MacroOp.Kind.CONV : op.kind;
    if (kind == MacroOp.Kind.POOL) {
      Op.Pool.Kind pool = op == MacroOp.AVG_POOL ? Op.Pool.Kind.AVG : Op.Pool.Kind.MAX;
      x = x.then("pool", new Op.Pool(pool, 3, 1));
    } else {
      if (pre) {
        x = x.relu("relu");
      }
      if (kind == MacroOp.Kind.CONV) {
        x = x.then("conv", Op.Conv2d.of(op.kernel, c, key(p + "/conv")));
      } else {
        x = x.then("dw", new Op.DepthwiseConv2d(op.kernel, 1, 1, key(p + "/dw")))
            .then("pw", Op.Conv2d.of(1, c, key(p + "/pw")));
      }
      x = x.bn("bn", p);
      if (!pre) {
        x = x.relu("relu");
      }
    }
    return b.output(x.last).build();
  }

  private static ParamKey key(String value) {
    return ParamKey.of(value);
  }

  /** Appends single-input ops one after another with readable ids. */
  private record Chain(GraphBuilder b, String last) {
    Chain then(String id, Op op) {
      return new Chain(b, b.op(id, op, last));
    }

    Chain relu(String id) {
      return then(id, new Op.Act(Activation.RELU));
    }

    Chain bn(String id, String keyPrefix) {
      return then(id, new Op.BatchNorm(ParamKey.of(keyPrefix + "/" + id)));
    }
  }
}
