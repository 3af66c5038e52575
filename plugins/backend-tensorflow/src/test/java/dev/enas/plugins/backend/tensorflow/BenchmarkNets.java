package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Children shaped like the ENAS macro and micro search children, built directly with {@link GraphBuilder} (the
 * space plugins are not a dependency of a backend): random op choices and skip connections from a generator, keys
 * that make weights shared across children the way the spaces share them.
 */
final class BenchmarkNets {
  private BenchmarkNets() {}

  private static ParamKey k(String s) {
    return ParamKey.of(s);
  }

  /**
   * A macro search child: stem conv3x3 + BN, {@code layers} layers each choosing one of conv3x3, sep3x3, conv5x5,
   * sep5x5, avg3x3, max3x3 (each behind a 1x1 conv-BN-ReLU) plus summed skip connections to earlier layers and a BN,
   * factorized reductions of every kept output after layers L/3-1 and 2L/3-1, then GAP, dropout and a dense layer.
   */
  static Graph macro(TensorShape input, int layers, int channels, int classes, SplittableRandom rng) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", input);
    x = g.chain("stem", x, Op.Conv2d.of(3, channels, k("stem/conv")), new Op.BatchNorm(k("stem/bn")));
    List<String> outputs = new ArrayList<>();
    outputs.add(x);
    int poolDistance = layers / 3;
    int reductions = 0;
    for (int layer = 0; layer < layers; layer++) {
      String p = "L" + layer;
      int op = rng.nextInt(6);
      String pre = g.chain(p + "/in", x, Op.Conv2d.of(1, channels, k(p + "/op" + op + "/in_conv")),
          new Op.BatchNorm(k(p + "/op" + op + "/in_bn")), new Op.Act(Activation.RELU));
      String y;
      if (op == 4 || op == 5) {
        y = g.op(p + "/pool", new Op.Pool(op == 4 ? Op.Pool.Kind.AVG : Op.Pool.Kind.MAX, 3, 1), pre);
      } else {
        int kernel = op < 2 ? 3 : 5;
        boolean separable = op % 2 == 1;
        String key = p + "/op" + op;
        Op[] body = separable
            ? new Op[] {new Op.DepthwiseConv2d(kernel, 1, 1, k(key + "/dw")), Op.Conv2d.of(1, channels, k(key + "/pw")),
                new Op.BatchNorm(k(key + "/bn")), new Op.Act(Activation.RELU)}
            : new Op[] {Op.Conv2d.of(kernel, channels, k(key + "/conv")), new Op.BatchNorm(k(key + "/bn")),
                new Op.Act(Activation.RELU)};
        y = g.chain(p + "/op", pre, body);
      }
      List<String> sum = new ArrayList<>();
      sum.add(y);
      for (int j = 0; j < outputs.size() - 1; j++) {
        if (rng.nextDouble() < 0.4) {
          sum.add(outputs.get(j));
        }
      }
      x = g.op(p + "/skip_bn", new Op.BatchNorm(k(p + "/skip_bn")), g.op(p + "/sum", new Op.Add(), sum));
      outputs.add(x);
      if (layers >= 3 && (layer == poolDistance - 1 || layer == 2 * poolDistance - 1)) {
        reductions++;
        for (int j = 0; j < outputs.size(); j++) {
          outputs.set(j, g.op("R" + reductions + "/" + j, new Op.FactorizedReduce(channels,
              k("R" + reductions + "/" + j)), outputs.get(j)));
        }
        x = outputs.get(outputs.size() - 1);
      }
    }
    String head = g.chain("head", x, new Op.Act(Activation.RELU), new Op.GlobalAvgPool(), new Op.Dropout(0.1),
        new Op.Dense(classes, false, k("head/fc")));
    return g.output(head).build();
  }

  /** One cell's architecture: for each of 5 blocks, two (input index, op) pairs; ops sep3, sep5, avg3, max3, id. */
  record Arc(int[] inputs, int[] ops) {
    static Arc random(SplittableRandom rng, int blocks) {
      int[] in = new int[2 * blocks];
      int[] op = new int[2 * blocks];
      for (int b = 0; b < blocks; b++) {
        for (int j = 0; j < 2; j++) {
          in[2 * b + j] = rng.nextInt(b + 2);
          op[2 * b + j] = rng.nextInt(5);
        }
      }
      return new Arc(in, op);
    }
  }

  /**
   * A micro search child: stem conv3x3 to 3C + BN, three stages of {@code n} normal cells with a reduction cell
   * between stages (channels doubled; the previous output factorized-reduced first, as the authors' search code
   * does), then ReLU, GAP, dropout and a dense layer. Each cell has 5 blocks over its two inputs.
   */
  static Graph micro(TensorShape input, int n, int channels, int classes, SplittableRandom rng) {
    Arc normal = Arc.random(rng, 5);
    Arc reduce = Arc.random(rng, 5);
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", input);
    String stem = g.chain("stem", x, Op.Conv2d.of(3, 3 * channels, k("stem/conv")), new Op.BatchNorm(k("stem/bn")));
    Shapes s = new Shapes();
    s.put(stem, input.height(), 3 * channels);
    String prevPrev = stem;
    String prev = stem;
    int c = channels;
    int cell = 0;
    for (int stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        c *= 2;
        String p = "C" + cell;
        String reduced = g.op(p + "/pre_reduce", new Op.FactorizedReduce(c, k(p + "/pre_reduce")),
            g.op(p + "/pre_relu", new Op.Act(Activation.RELU), prev));
        s.put(reduced, s.size(prev) / 2, c);
        String out = cell(g, s, p, reduce, prev, reduced, c);
        prevPrev = reduced;
        prev = out;
        cell++;
      }
      for (int i = 0; i < n; i++) {
        String out = cell(g, s, "C" + cell, normal, prevPrev, prev, c);
        prevPrev = prev;
        prev = out;
        cell++;
      }
    }
    String head = g.chain("head", prev, new Op.Act(Activation.RELU), new Op.GlobalAvgPool(), new Op.Dropout(0.1),
        new Op.Dense(classes, false, k("head/fc")));
    return g.output(head).build();
  }

  /** Spatial size and channels of the cell-level tensors, to calibrate cell inputs. */
  private static final class Shapes {
    private final java.util.Map<String, int[]> m = new java.util.HashMap<>();

    void put(String id, int size, int channels) {
      m.put(id, new int[] {size, channels});
    }

    int size(String id) {
      return m.get(id)[0];
    }

    int channels(String id) {
      return m.get(id)[1];
    }
  }

  private static String cell(GraphBuilder g, Shapes s, String p, Arc arc, String in0, String in1, int c) {
    int size = s.size(in1);
    String x0 = in0;
    if (s.size(in0) == 2 * size) {
      x0 = g.chain(p + "/cal0", in0, new Op.Act(Activation.RELU), new Op.FactorizedReduce(c, k(p + "/cal0")));
    } else if (s.channels(in0) != c) {
      x0 = relu1x1(g, p + "/cal0", in0, c);
    }
    String x1 = s.channels(in1) != c ? relu1x1(g, p + "/cal1", in1, c) : in1;
    List<String> nodes = new ArrayList<>(List.of(x0, x1));
    Set<Integer> used = new HashSet<>();
    int blocks = arc.inputs().length / 2;
    for (int b = 0; b < blocks; b++) {
      String[] y = new String[2];
      for (int j = 0; j < 2; j++) {
        int idx = arc.inputs()[2 * b + j];
        int op = arc.ops()[2 * b + j];
        used.add(idx);
        // The authors' supernet keeps one weight set per (block, slot, input index, op).
        String key = p + "/b" + b + "/" + j + "/in" + idx + "/op" + op;
        y[j] = apply(g, key, op, nodes.get(idx), c);
      }
      nodes.add(g.op(p + "/b" + b, new Op.Add(), y[0], y[1]));
    }
    List<String> loose = new ArrayList<>();
    for (int i = 2; i < nodes.size(); i++) {
      if (!used.contains(i)) {
        loose.add(nodes.get(i));
      }
    }
    String cat = loose.size() == 1 ? loose.get(0) : g.op(p + "/concat", new Op.Concat(), loose);
    // The authors slice one [5C, C] weight by the loose ends; a key per loose-end count keeps shapes fixed here.
    String out = relu1x1(g, p + "/out" + loose.size(), cat, c);
    s.put(out, size, c);
    return out;
  }

  private static String relu1x1(GraphBuilder g, String p, String x, int c) {
    return g.chain(p, x, new Op.Act(Activation.RELU), Op.Conv2d.of(1, c, k(p + "/conv")),
        new Op.BatchNorm(k(p + "/bn")));
  }

  private static String apply(GraphBuilder g, String key, int op, String x, int c) {
    switch (op) {
      case 0:
      case 1: {
        int kernel = op == 0 ? 3 : 5;
        String y = x;
        for (int r = 0; r < 2; r++) {
          String q = key + "/" + r;
          y = g.chain(q, y, new Op.Act(Activation.RELU), new Op.DepthwiseConv2d(kernel, 1, 1, k(q + "/dw")),
              Op.Conv2d.of(1, c, k(q + "/pw")), new Op.BatchNorm(k(q + "/bn")));
        }
        return y;
      }
      case 2:
        return g.op(key, new Op.Pool(Op.Pool.Kind.AVG, 3, 1), x);
      case 3:
        return g.op(key, new Op.Pool(Op.Pool.Kind.MAX, 3, 1), x);
      default:
        return x;
    }
  }
}
