package dev.enas.plugins.space.micro;

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
 * Builds the micro supernet in the IR: a stem, then 3N normal cells with a reduction cell after the
 * first and second N, then the classifier head, and optionally an auxiliary head on the first cell after
 * the second reduction (the graph's second output) and drop-path after every non-identity op of a block.
 * Every cell has its own weights; all normal cells share the normal cell's choice points
 * ({@code normal/b<b>/x/input}, {@code normal/b<b>/x/op}, ...) and all reduction cells the reduction cell's.
 */
final class MicroSupernet {
  private final MicroSettings s;
  private final GraphBuilder g = new GraphBuilder();

  private MicroSupernet(MicroSettings s) {
    this.s = s;
  }

  static Graph build(MicroSettings settings) {
    return new MicroSupernet(settings).build();
  }

  /** A tensor of the network; {@code channels} is -1 when it depends on the child (concatenated loose ends). */
  private record Tensor(String id, int height, int width, int channels) {
    TensorShape shape(int c) {
      return TensorShape.of(height, width, c);
    }

    boolean sameSize(Tensor o) {
      return height == o.height && width == o.width;
    }
  }

  private Graph build() {
    TensorShape image = s.image();
    String x = g.input("images", "images", image);
    x = g.op("stem/conv", Op.Conv2d.of(3, 3 * s.channels(), key("stem/conv")), x);
    x = g.op("stem", new Op.BatchNorm(key("stem/bn")), x);
    Tensor stem = new Tensor(x, image.height(), image.width(), 3 * s.channels());
    Tensor prevPrev = stem;
    Tensor prev = stem;
    int c = s.channels();
    Tensor auxInput = null;
    for (int k = 0; k < 3 * s.cells() + 2; k++) {
      Tensor out;
      if (!s.isReduction(k)) {
        out = cell(k, CellType.NORMAL, prevPrev, prev, c, 1);
      } else if (s.fixedForm()) {
        c *= 2;
        out = cell(k, CellType.REDUCE, prevPrev, prev, c, 2);
      } else {
        // The search supernet builds no strided cell: it reduces the previous output first and runs the
        // reduction cell at stride 1 on [previous output, its reduction] (reference §2).
        c *= 2;
        String id = "cell" + k + "/pre_reduce";
        g.op(id, new Op.FactorizedReduce(c, key(id)), prev.id());
        Tensor reduced = new Tensor(id, half(prev.height()), half(prev.width()), c);
        out = cell(k, CellType.REDUCE, prev, reduced, c, 1);
        prev = reduced;
      }
      prevPrev = prev;
      prev = out;
      if (k == s.auxHeadCell()) {
        auxInput = out;
      }
    }
    x = g.op("head/relu", new Op.Act(Activation.RELU), prev.id());
    x = g.op("head/gap", new Op.GlobalAvgPool(), x);
    if (s.dropoutRate() > 0) {
      x = g.op("head/dropout", new Op.Dropout(s.dropoutRate()), x);
    }
    g.op("head/fc", new Op.Dense(s.classes(), false, key("head/fc")), x);
    g.output("head/fc");
    if (s.auxHead()) {
      g.output(auxHead(auxInput));
    }
    return g.build();
  }

  /**
   * The auxiliary classifier (reference §2): ReLU, 5x5 average pool stride 3 VALID, 1x1 conv to 128 + BN + ReLU,
   * a VALID conv to 768 whose kernel covers the remaining map + BN + ReLU, global average pool, dense to the
   * classes, marked as auxiliary logits. Unlike the authors' code its weights are trained. On maps smaller than
   * 5x5 (small images) the pool shrinks to the map; a non-square map leaves the global pool something to average.
   */
  private String auxHead(Tensor in) {
    String x = g.op("aux/relu", new Op.Act(Activation.RELU), in.id());
    int pool = Math.min(5, Math.min(in.height(), in.width()));
    x = g.op("aux/pool", new Op.Pool(Op.Pool.Kind.AVG, pool, 3, Op.Padding.VALID), x);
    int h = (in.height() - pool) / 3 + 1;
    int w = (in.width() - pool) / 3 + 1;
    x = g.op("aux/conv1", Op.Conv2d.of(1, 128, key("aux/conv1")), x);
    x = g.op("aux/bn1", new Op.BatchNorm(key("aux/bn1")), x);
    x = g.op("aux/relu1", new Op.Act(Activation.RELU), x);
    x = g.op("aux/conv2", new Op.Conv2d(Math.min(h, w), 1, 1, 768, key("aux/conv2"), Op.Padding.VALID), x);
    x = g.op("aux/bn2", new Op.BatchNorm(key("aux/bn2")), x);
    x = g.op("aux/relu2", new Op.Act(Activation.RELU), x);
    x = g.op("aux/gap", new Op.GlobalAvgPool(), x);
    x = g.op("aux/fc", new Op.Dense(s.classes(), false, key("aux/fc")), x);
    return g.op("aux/logits", new Op.AuxLogits(MicroSettings.AUX_LOSS_WEIGHT), x);
  }

  /** One cell over inputs {@code in0} (two cells back) and {@code in1} (the previous cell). */
  private Tensor cell(int k, CellType type, Tensor in0, Tensor in1, int c, int stride) {
    String p = "cell" + k;
    List<Tensor> nodes = new ArrayList<>();
    nodes.add(calibrateFirst(p, in0, in1, c));
    nodes.add(calibrateSecond(p, in1, c));
    int h = stride == 2 ? half(in1.height()) : in1.height();
    int w = stride == 2 ? half(in1.width()) : in1.width();
    double dropRate = s.maxDropRate(k);
    for (int b = 0; b < s.blocks(); b++) {
      String xs = slot(p, type, b, "x", nodes, c, stride, dropRate);
      String ys = slot(p, type, b, "y", nodes, c, stride, dropRate);
      nodes.add(new Tensor(g.op(p + "/n" + (b + 2), new Op.Add(), xs, ys), h, w, c));
    }
    return output(p, nodes, c, stride, h, w);
  }

  /**
   * Node 0: the input from two cells back, reduced when it is larger than node 1 (after a reduction),
   * else projected to C when its channels differ. Every cell gets its own node ids, so that a node is a
   * loose end of one cell only.
   */
  private Tensor calibrateFirst(String p, Tensor in0, Tensor in1, int c) {
    String id = p + "/n0";
    if (!in0.sameSize(in1)) {
      String r = g.op(p + "/calibrate0/relu", new Op.Act(Activation.RELU), in0.id());
      g.op(id, new Op.FactorizedReduce(c, key(p + "/calibrate0/reduce")), r);
    } else if (in0.channels() != c) {
      reluConvBn(p + "/calibrate0", id, in0.id(), c);
    } else {
      g.op(id, new Op.Identity(), in0.id());
    }
    return new Tensor(id, in1.height(), in1.width(), c);
  }

  /** Node 1: the previous cell's output, projected to C when its channels differ, and always in the fixed form. */
  private Tensor calibrateSecond(String p, Tensor in1, int c) {
    String id = p + "/n1";
    String x = in1.id();
    if (in1.channels() != c) {
      x = reluConvBn(p + "/calibrate1", s.fixedForm() ? p + "/calibrate1" : id, x, c);
    }
    if (s.fixedForm()) {
      // The authors' fixed cells always apply ReLU, 1x1 conv, BN to their second input ("layer_base").
      reluConvBn(p + "/base", id, x, c);
    } else if (!x.equals(id)) {
      g.op(id, new Op.Identity(), x);
    }
    return new Tensor(id, in1.height(), in1.width(), c);
  }

  private String reluConvBn(String keyPrefix, String id, String input, int c) {
    String r = g.op(keyPrefix + "/relu", new Op.Act(Activation.RELU), input);
    String conv = g.op(keyPrefix + "/conv", Op.Conv2d.of(1, c, key(keyPrefix + "/conv")), r);
    return g.op(id, new Op.BatchNorm(key(keyPrefix + "/bn")), conv);
  }

  /**
   * One slot of block b: an input choice over nodes 0..b+1 and an op choice applied to it. Returns the
   * id of the slot's output.
   */
  private String slot(String p, CellType type, int b, String slot, List<Tensor> nodes, int c, int stride,
      double dropRate) {
    String id = p + "/b" + b + "/" + slot;
    String choice = type.key + "/b" + b + "/" + slot;
    List<String> nodeIds = nodes.stream().map(Tensor::id).toList();
    if (stride == 1) {
      g.inputChoice(id + "/input", choice + "/input", List.of(), nodeIds, false, Node.Combine.SUM);
      // With per-input weights the keys hold a placeholder that resolves to the input index the child picked.
      String keys = s.perInputWeights() ? id + "/in{" + choice + "/input}" : id;
      g.layerChoice(id, choice + "/op", List.of(id + "/input"), MicroOp.labels(),
          candidates(nodes.get(0).shape(c), c, 1, keys, dropRate));
      return id;
    }
    // In a strided cell an op's stride depends on its input (2 on the cell inputs, 1 on blocks), so each
    // input gets its own copy of the op choice (all with the same key) and the input choice picks a copy.
    List<String> copies = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String copy = id + "/from" + i;
      String keys = s.perInputWeights() ? id + "/in" + i : id;
      g.layerChoice(copy, choice + "/op", List.of(nodeIds.get(i)), MicroOp.labels(),
          candidates(nodes.get(i).shape(c), c, i < 2 ? 2 : 1, keys, dropRate));
      copies.add(copy);
    }
    // This choice over the nodes themselves records which node the slot reads, so that the cell's loose
    // ends follow from the architecture; its own output feeds nothing and is pruned from every child.
    g.inputChoice(id + "/reads", choice + "/input", List.of(), nodeIds, false, Node.Combine.SUM);
    g.inputChoice(id, choice + "/input", List.of(), copies, false, Node.Combine.SUM);
    return id;
  }

  private List<Graph> candidates(TensorShape in, int c, int stride, String keys, double dropRate) {
    List<Graph> graphs = new ArrayList<>();
    for (MicroOp op : MicroOp.values()) {
      graphs.add(opGraph(op, in, c, stride, keys + "/" + op.keyName, dropRate));
    }
    return graphs;
  }

  /**
   * One candidate op as a small graph over its input {@code x}; every op but the identity (and the factorized
   * reduction that stands in for it at stride 2, as the authors' code) ends with drop-path when its rate is above 0.
   */
  private static Graph opGraph(MicroOp op, TensorShape in, int c, int stride, String keys, double dropRate) {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "x", in);
    if (op.separable()) {
      // Two stacked ReLU, depthwise, pointwise, BN; the first carries the stride (reference §2).
      for (int r = 0; r < 2; r++) {
        x = b.op("relu" + r, new Op.Act(Activation.RELU), x);
        x = b.op("dw" + r, new Op.DepthwiseConv2d(op.kernel, r == 0 ? stride : 1, 1, key(keys + "/dw" + r)), x);
        x = b.op("pw" + r, Op.Conv2d.of(1, c, key(keys + "/pw" + r)), x);
        x = b.op("bn" + r, new Op.BatchNorm(key(keys + "/bn" + r)), x);
      }
    } else if (op == MicroOp.AVG_POOL || op == MicroOp.MAX_POOL) {
      x = b.op("pool", new Op.Pool(op == MicroOp.AVG_POOL ? Op.Pool.Kind.AVG : Op.Pool.Kind.MAX, 3, stride), x);
    } else if (stride == 2) {
      return b.output(b.op("reduce", new Op.FactorizedReduce(c, key(keys + "/reduce")), x)).build();
    } else {
      return b.output(b.op("identity", new Op.Identity(), x)).build();
    }
    if (dropRate > 0) {
      x = b.op("drop_path", new Op.DropPath(dropRate), x);
    }
    return b.output(x).build();
  }

  /** The cell output over its loose ends: projected back to C (search form) or concatenated (fixed form). */
  private Tensor output(String p, List<Tensor> nodes, int c, int stride, int h, int w) {
    List<String> ends = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (int j = s.firstLooseEnd(); j < nodes.size(); j++) {
      String node = nodes.get(j).id();
      ends.add(node);
      if (!s.fixedForm()) {
        // ReLU and a 1x1 conv over the concatenated loose ends equal the sum of a 1x1 conv of each loose
        // end with its own slice of the weights (the authors keep one slice per node).
        String r = g.op(p + "/out/relu" + j, new Op.Act(Activation.RELU), node);
        candidates.add(g.op(p + "/out/w" + j, Op.Conv2d.of(1, c, key(p + "/out/w" + j)), r));
      } else if (j < 2 && stride == 2) {
        String id = p + "/out/reduce" + j;
        candidates.add(g.op(id, new Op.FactorizedReduce(c, key(id)), node));
      } else {
        candidates.add(node);
      }
    }
    if (s.fixedForm()) {
      g.looseEnds(p + "/out", ends, candidates, Node.Combine.CONCAT);
      return new Tensor(p + "/out", h, w, -1);
    }
    g.looseEnds(p + "/out/sum", ends, candidates, Node.Combine.SUM);
    g.op(p + "/out", new Op.BatchNorm(key(p + "/out/bn")), p + "/out/sum");
    return new Tensor(p + "/out", h, w, c);
  }

  private static int half(int size) {
    return (size + 1) / 2;
  }

  private static ParamKey key(String value) {
    return ParamKey.of(value);
  }
}
