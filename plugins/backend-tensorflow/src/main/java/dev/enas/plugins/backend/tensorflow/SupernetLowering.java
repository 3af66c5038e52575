package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Lowers a whole supernet to one TensorFlow graph in which every choice is a gate fed each step: a candidate's inputs
 * pass through {@code Switch} on its gate and the candidates meet again in {@code Merge}. TensorFlow's executor does
 * not run ops whose input is "dead" (the untaken side of a Switch), so a step computes only the child the gates
 * select, and every child runs on the same graph and the same executor: no graph, gradient or executor is built per
 * child. Gate values come from {@link Graph.Resolution}: a node is live when the resolved child has it.
 *
 * <p>Invariant that keeps the arithmetic exact: at every {@code Merge} exactly one input is alive (never two), so a
 * step's result does not depend on scheduling. Gradients flow back through {@link ControlFlowGradients}.
 */
final class SupernetLowering {

  /** Thrown when a supernet has a form this lowering does not handle; the backend then compiles per child. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  /** What gates are computed from: the choice values and the resolved child. */
  record ChildView(Map<String, int[]> values, Map<String, List<String>> inputs, Set<ParamKey> params) {
    static ChildView of(Graph child) {
      Graph.Resolution r = child.origin().orElseThrow();
      Map<String, List<String>> inputs = new HashMap<>();
      child.nodes().forEach(n -> inputs.put(n.id(), n.inputs()));
      Set<ParamKey> params = new HashSet<>();
      child.params().forEach(p -> params.add(p.key()));
      return new ChildView(r.values(), inputs, params);
    }

    /** Whether the child has the node (nodes no output needs are pruned from it). */
    boolean has(String node) {
      return inputs.containsKey(node);
    }

    int value(String key, int index) {
      int[] v = values.get(key);
      if (v == null || index >= v.length) {
        throw new IllegalArgumentException("the child has no value for choice " + key);
      }
      return v[index];
    }
  }

  /** A condition on the child, named so that equal conditions share one gate. */
  record Cond(String name, Predicate<ChildView> test) {
    Cond and(Cond other) {
      return other == null ? this : new Cond(name + " & " + other.name, test.and(other.test));
    }

    static Cond both(Cond a, Cond b) {
      return a == null ? b : a.and(b);
    }

    static Cond live(String node) {
      return new Cond("live " + node, v -> v.has(node));
    }

    static Cond equals(String key, int index, int value) {
      return new Cond(key + "[" + index + "] == " + value, v -> v.value(key, index) == value);
    }
  }

  private final Ops tf;
  private final ChildLowering ops;
  private final Graph supernet;
  private final Placeholder<TBool> gateInput;
  private final List<Predicate<ChildView>> gates = new ArrayList<>();
  private final Map<String, Operand<TBool>> gatesByName = new HashMap<>();
  private final Map<String, Integer> choiceSizes = new HashMap<>();
  private final Map<ParamKey, Operand<TFloat32>> selected = new HashMap<>();
  private final Map<ParamKey, List<ParamKey>> variants = new LinkedHashMap<>();
  private final Map<ParamKey, Integer> uses = new HashMap<>();
  /** Keys read by an op that a choice can leave out of the child. */
  private final Set<ParamKey> gatedUses = new HashSet<>();
  /** Op nodes whose keys are registered: applying the supernet again (an unrolled cell) reuses them. */
  private final Set<String> registered = new HashSet<>();
  private final Map<String, Operand<TFloat32>> zeros = new HashMap<>();
  /** Each lowered node's IR shape (the same at every application), so a later application can be given its value. */
  private final Map<String, TensorShape> shapes = new HashMap<>();
  private Operand<TInt32> batchSize;

  SupernetLowering(Ops tf, Graph supernet, ChildLowering ops) {
    this.tf = tf;
    this.ops = ops;
    this.supernet = supernet;
    this.gateInput = tf.withName("gates").placeholder(TBool.class, Placeholder.shape(Shape.of(-1)));
    for (Node n : supernet.nodes()) {
      if (n instanceof Node.LayerChoice c) {
        choiceSizes.put(c.key(), c.candidates().size());
      } else if (n instanceof Node.InputChoice c && !c.multi()) {
        choiceSizes.put(c.key(), c.candidates().size());
      }
    }
    ops.templates(this::selectTemplate);
  }

  /** The gate values for one child, in the order the graph reads them, padded with false to whole blocks. */
  boolean[] gates(ChildView child) {
    boolean[] out = new boolean[gateBlocks.size() * GATE_BLOCK];
    for (int i = 0; i < gates.size(); i++) {
      out[i] = gates.get(i).test(child);
    }
    return out;
  }

  Placeholder<TBool> gateInput() {
    return gateInput;
  }

  /** A batch norm's resolved keys: one per value of the choice its template names, or the key itself. */
  List<ParamKey> batchNormVariants(ParamKey bn) {
    if (!bn.isTemplate()) {
      return List.of(bn);
    }
    String suffix = "/scale";
    return variants.get(bn.child("scale")).stream()
        .map(k -> ParamKey.of(k.value().substring(0, k.value().length() - suffix.length()))).toList();
  }

  /**
   * Applies the supernet to the named inputs and returns the given outputs. Nodes no output needs are not lowered.
   */
  List<Operand<?>> apply(List<String> outputs, Map<String, Operand<?>> inputs) {
    return apply(outputs, inputs, Map.of());
  }

  /**
   * Applies the supernet with the values of some nodes given (lowered by an earlier application, which recorded their
   * shapes): nodes only they read are not lowered. How a {@link dev.enas.support.backend.SequencePlan}'s parts run.
   */
  List<Operand<?>> apply(List<String> outputs, Map<String, Operand<?>> inputs, Map<String, Operand<?>> given) {
    Set<String> needed = dev.enas.support.backend.GraphWalk.needed(supernet.nodes(), outputs, given.keySet());
    Set<String> always = alwaysLive(outputs);
    Map<String, Operand<?>> values = new HashMap<>(given);
    for (Node n : supernet.nodes()) {
      if (!needed.contains(n.id()) || given.containsKey(n.id())) {
        continue;
      }
      Cond live = always.contains(n.id()) ? null : Cond.live(n.id());
      try {
        if (n instanceof Node.OpNode o) {
          opNode(o, live, values, shapes, inputs);
        } else if (n instanceof Node.LayerChoice c) {
          layerChoice(c, live, values, shapes);
        } else if (n instanceof Node.InputChoice c) {
          inputChoice(c, live, values, shapes);
        } else if (n instanceof Node.LooseEnds l) {
          looseEnds(l, live, values, shapes);
        }
      } catch (IllegalArgumentException | IllegalStateException | dev.enas.api.ir.IrException e) {
        throw new IllegalArgumentException("supernet node " + n.id() + ": " + e.getMessage(), e);
      }
    }
    List<Operand<?>> out = new ArrayList<>();
    for (String id : outputs) {
      out.add(values.get(id));
    }
    return out;
  }

  private void opNode(Node.OpNode o, Cond live, Map<String, Operand<?>> values,
      Map<String, TensorShape> shapes, Map<String, Operand<?>> inputs) {
    List<Operand<?>> in = new ArrayList<>();
    List<TensorShape> inShapes = new ArrayList<>();
    Operand<TBool> gate = live == null || o.op() instanceof Op.Input ? null : gate(live);
    for (String id : o.inputs()) {
      Operand<?> x = values.get(id);
      // Token ids (an embedding's input) pass ungated: the embedding computes, but what reads it is gated.
      in.add(gate == null || x.asOutput().type() != TFloat32.class ? x : passIf(ChildLowering.f(x), gate));
      inShapes.add(shapes.get(id));
    }
    if (registered.add(o.id())) {
      register(o.op(), inShapes, gate != null);
    }
    shapes.put(o.id(), o.op().outputShape(inShapes));
    values.put(o.id(), ops.lower(o.op(), in, inShapes, inputs));
  }

  /**
   * Each input reaches the candidates through a chain of Switches, candidate k reading the true side of the k-th and
   * the next Switch reading its false side: the input has one reader whatever the number of candidates, so its
   * gradient is the taken candidate's alone, with no zeros from the others to add (separate Switches on the input
   * would each send back a tensor of zeros).
   */
  private void layerChoice(Node.LayerChoice c, Cond live, Map<String, Operand<?>> values,
      Map<String, TensorShape> shapes) {
    List<Operand<TFloat32>> outs = new ArrayList<>();
    List<Operand<TFloat32>> rest = new ArrayList<>();
    for (String id : c.inputs()) {
      rest.add(ChildLowering.f(values.get(id)));
    }
    TensorShape shape = null;
    for (int k = 0; k < c.candidates().size(); k++) {
      Graph g = c.candidates().get(k);
      Operand<TBool> gate = gate(Cond.both(live, Cond.equals(c.key(), 0, k)));
      Map<String, Operand<?>> bound = new HashMap<>();
      List<Node.OpNode> ins = g.inputNodes();
      for (int i = 0; i < ins.size(); i++) {
        SwitchCond<TFloat32> sw = tf.switchCond(rest.get(i), gate);
        bound.put(((Op.Input) ins.get(i).op()).name(), sw.outputTrue());
        rest.set(i, sw.outputFalse());
      }
      Map<String, TensorShape> inner = g.shapes();
      for (Node n : g.nodes()) {
        Node.OpNode o = (Node.OpNode) n;
        if (registered.add(c.id() + "/" + k + "/" + o.id())) {
          register(o.op(), o.inputs().stream().map(inner::get).toList(), true);
        }
      }
      TensorShape s = inner.get(g.outputs().get(0));
      if (shape != null && !shape.equals(s)) {
        throw new Unsupported("layer choice " + c.key() + " has candidates of shapes " + shape + " and " + s);
      }
      shape = s;
      outs.add(ChildLowering.f(ops.apply(g, bound).get(0)));
    }
    shapes.put(c.id(), shape);
    values.put(c.id(), tf.merge(outs).output());
  }

  private void inputChoice(Node.InputChoice c, Cond live, Map<String, Operand<?>> values,
      Map<String, TensorShape> shapes) {
    TensorShape shape = commonShape(c.key(), c.inputs(), shapes);
    List<Operand<TFloat32>> terms = new ArrayList<>();
    Operand<TBool> liveGate = live == null ? null : gate(live);
    for (String id : c.fixed()) {
      terms.add(liveGate == null ? ChildLowering.f(values.get(id)) : passIf(ChildLowering.f(values.get(id)), liveGate));
    }
    if (!c.multi()) {
      List<Operand<TFloat32>> picks = new ArrayList<>();
      for (int j = 0; j < c.candidates().size(); j++) {
        Operand<TFloat32> x = ChildLowering.f(values.get(c.candidates().get(j)));
        Operand<TBool> g = gate(Cond.both(live, Cond.equals(c.key(), 0, j)));
        if (c.candidates().size() == 1) {
          picks.add(passIf(x, g));
          continue;
        }
        // A pick's zeros, when it is not taken, come in the backward pass (ControlFlowGradients.PICK); before it, a
        // choice that can be left out passes the candidate on only when it is in the child, so the gradient builder's
        // zeros for the other side are made only when it is not.
        Operand<TFloat32> read = liveGate == null ? x : passIf(x, liveGate);
        picks.add(tf.withSubScope(ControlFlowGradients.PICK).switchCond(read, g).outputTrue());
      }
      terms.add(picks.size() == 1 ? picks.get(0) : tf.merge(picks).output());
      values.put(c.id(), combine(terms, c.combine(), shape));
    } else {
      if (c.combine() != Node.Combine.SUM) {
        throw new Unsupported("input choice " + c.key() + " combines a subset with " + c.combine() + "; only SUM");
      }
      List<Operand<TFloat32>> xs = new ArrayList<>();
      List<Cond> included = new ArrayList<>();
      for (int j = 0; j < c.candidates().size(); j++) {
        xs.add(ChildLowering.f(values.get(c.candidates().get(j))));
        included.add(Cond.both(live, Cond.equals(c.key(), j, 1)));
      }
      values.put(c.id(), sumOfIncluded(terms, xs, included, live, shape));
    }
    shapes.put(c.id(), shape);
  }

  private void looseEnds(Node.LooseEnds l, Cond live, Map<String, Operand<?>> values,
      Map<String, TensorShape> shapes) {
    if (l.combine() != Node.Combine.SUM) {
      throw new Unsupported("loose ends " + l.id() + " combine with " + l.combine() + "; only SUM");
    }
    TensorShape shape = commonShape(l.id(), l.candidates(), shapes);
    List<Operand<TFloat32>> xs = new ArrayList<>();
    List<Cond> included = new ArrayList<>();
    for (String candidate : l.candidates()) {
      // The child's op for these loose ends reads exactly the candidates of the ends no choice selected.
      xs.add(ChildLowering.f(values.get(candidate)));
      included.add(new Cond(l.id() + " reads " + candidate,
          v -> v.has(l.id()) && v.inputs().get(l.id()).contains(candidate)));
    }
    shapes.put(l.id(), shape);
    values.put(l.id(), sumOfIncluded(List.of(), xs, included, live, shape));
  }

  /**
   * {@code Σ fixed + Σ xs[j] over the included j}, accumulated through Switch and Merge so that a candidate left out
   * costs no op and no tensor of zeros: at each candidate the running sum either passes by (false side) or has the
   * candidate added (true side). Without fixed terms the sum starts from zeros, alive when the node is live.
   */
  private Operand<TFloat32> sumOfIncluded(List<Operand<TFloat32>> fixed, List<Operand<TFloat32>> xs,
      List<Cond> included, Cond live, TensorShape shape) {
    Operand<TFloat32> acc;
    if (fixed.isEmpty()) {
      acc = live == null ? zeros(shape) : passIf(zeros(shape), gate(live));
    } else {
      acc = fixed.size() == 1 ? fixed.get(0) : tf.math.addN(fixed);
    }
    for (int j = 0; j < xs.size(); j++) {
      Operand<TBool> in = gate(included.get(j));
      SwitchCond<TFloat32> sw = tf.switchCond(acc, in);
      // AddN, not Add: Add's gradient reduces over broadcast axes (a Sum that copies each term's gradient).
      Operand<TFloat32> added = tf.math.addN(List.of(sw.outputTrue(), passIf(xs.get(j), in)));
      acc = tf.merge(List.of(added, sw.outputFalse())).output();
    }
    return acc;
  }

  /** Zeros of {@code [batch] + shape}, alive every step (built from the batch size). */
  private Operand<TFloat32> zeros(TensorShape shape) {
    return zeros.computeIfAbsent(shape.toString(), k -> {
      int[] dims = shape.dims();
      List<Operand<TInt32>> parts = new ArrayList<>();
      parts.add(batchSize);
      parts.add(ops.ints(dims));
      return tf.fill(tf.concat(parts, ops.scalar(0)), ops.floats0());
    });
  }

  /** Sets the tensor whose first dimension is the batch size; zeros for skipped terms take their size from it. */
  void batchFrom(Operand<?> batchInput) {
    this.batchSize = tf.reshape(tf.stridedSlice(tf.shape(batchInput), org.tensorflow.ndarray.index.Indices.sliceTo(1)),
        tf.constant(new int[] {1}));
  }

  private Operand<TFloat32> combine(List<Operand<TFloat32>> terms, Node.Combine combine,
      TensorShape shape) {
    if (terms.size() == 1) {
      return terms.get(0);
    }
    return switch (combine) {
      case SUM -> tf.math.addN(terms);
      case MEAN -> tf.math.mul(tf.math.addN(terms), tf.constant(1f / terms.size()));
      case CONCAT -> tf.concat(terms, ops.scalar(shape.rank()));
    };
  }

  private static TensorShape commonShape(String what, List<String> ids, Map<String, TensorShape> shapes) {
    TensorShape shape = null;
    for (String id : ids) {
      TensorShape s = shapes.get(id);
      if (shape != null && !shape.equals(s)) {
        throw new Unsupported(what + " selects among tensors of shapes " + shape + " and " + s);
      }
      shape = s;
    }
    return shape;
  }

  /** {@code x} when the gate is true; dead otherwise. */
  private Operand<TFloat32> passIf(Operand<TFloat32> x, Operand<TBool> gate) {
    return tf.switchCond(x, gate).outputTrue();
  }

  /**
   * The gate of a condition: a scalar of the fed gate vector, one position per distinct condition. The vector is read
   * in blocks of {@link #GATE_BLOCK}, each sliced once and unstacked into its scalars: one gather per gate was ~4,000
   * kernels (and as many index constants) per step of a micro supernet, each costing the executor as much as a small
   * arithmetic kernel.
   */
  Operand<TBool> gate(Cond cond) {
    return gatesByName.computeIfAbsent(cond.name(), n -> {
      int index = gates.size();
      gates.add(cond.test());
      int block = index / GATE_BLOCK;
      if (block == gateBlocks.size()) {
        Operand<TBool> slice = tf.slice(gateInput, tf.constant(new int[] {block * GATE_BLOCK}),
            ops.ints(new int[] {GATE_BLOCK}));
        gateBlocks.add(tf.unstack(slice, (long) GATE_BLOCK).output());
      }
      return gateBlocks.get(block).get(index % GATE_BLOCK);
    });
  }

  /** Gates per slice of the fed vector; the vector is padded with false to whole blocks. */
  static final int GATE_BLOCK = 64;

  private final List<List<Output<TBool>>> gateBlocks = new ArrayList<>();

  /**
   * Registers the specs an op needs with the op lowering: its own keys, and for a template key each resolved variant
   * plus the template itself (with variant 0's shape, which all share). A key used by two ops is unsupported unless
   * every child runs both (a language model's embedding and its tied softmax): where a choice can leave one use out,
   * TensorFlow would sum a live gradient with a dead one.
   *
   * @param gated whether a choice can leave the op out of the child
   */
  private void register(Op op, List<TensorShape> inShapes, boolean gated) {
    Set<String> refs = new HashSet<>();
    op.mapKeys(k -> {
      if (k.isTemplate()) {
        k.resolve(ref -> {
          refs.add(ref);
          return 0;
        });
      }
      return k;
    });
    if (refs.isEmpty()) {
      for (ParamSpec p : op.params(inShapes)) {
        use(p, gated);
      }
      return;
    }
    if (refs.size() > 1) {
      throw new Unsupported("parameter keys of " + op.label() + " name several choices " + refs);
    }
    String ref = refs.iterator().next();
    Integer n = choiceSizes.get(ref);
    if (n == null) {
      throw new Unsupported("parameter keys name choice " + ref + ", which is not a single choice of the supernet");
    }
    List<ParamSpec> templates = op.params(inShapes);
    for (int v = 0; v < n; v++) {
      int value = v;
      List<ParamSpec> resolved = op.mapKeys(k -> k.isTemplate() ? k.resolve(r -> value) : k).params(inShapes);
      for (int i = 0; i < resolved.size(); i++) {
        ParamSpec p = resolved.get(i);
        use(p, true);
        ParamKey template = templates.get(i).key();
        if (template.isTemplate()) {
          variants.computeIfAbsent(template, t -> new ArrayList<>());
          if (variants.get(template).size() == v) {
            variants.get(template).add(p.key());
          }
          ops.addSpec(new ParamSpec(template, p.shape(), p.init(), p.trainable(), p.decayed()));
        }
      }
    }
  }

  private void use(ParamSpec p, boolean gated) {
    if (gated) {
      gatedUses.add(p.key());
    }
    if (uses.merge(p.key(), 1, Integer::sum) > 1 && gatedUses.contains(p.key())) {
      throw new Unsupported("parameter " + p.key() + " is used by more than one op, one of them on a choice's branch");
    }
    ops.addSpec(p);
  }

  /** A template key's tensor: the variant the choice it names selects, through Switch and Merge. */
  private Operand<TFloat32> selectTemplate(ParamKey template) {
    return selected.computeIfAbsent(template, t -> {
      List<ParamKey> keys = variants.get(t);
      if (keys == null) {
        throw new IllegalStateException("parameter " + t + " was not registered");
      }
      String[] ref = new String[1];
      t.resolve(r -> {
        ref[0] = r;
        return 0;
      });
      List<Operand<TFloat32>> picks = new ArrayList<>();
      for (int v = 0; v < keys.size(); v++) {
        picks.add(passIf(ops.tensor(keys.get(v)), gate(Cond.equals(ref[0], 0, v))));
      }
      return picks.size() == 1 ? picks.get(0) : tf.merge(picks).output();
    });
  }


  /**
   * Ids of the nodes every child computes: the outputs, and what such a node reads other than through a choice
   * (an input choice's candidates and loose ends' candidates are read only when chosen).
   */
  private Set<String> alwaysLive(List<String> outputs) {
    Set<String> live = new HashSet<>(outputs);
    List<Node> nodes = supernet.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (!live.contains(n.id())) {
        continue;
      }
      if (n instanceof Node.InputChoice c) {
        live.addAll(c.fixed());
        if (!c.multi() && c.candidates().size() == 1) {
          live.add(c.candidates().get(0)); // a choice of one: the recurrent cell's node 1 reads node 0
        }
      } else if (!(n instanceof Node.LooseEnds)) {
        live.addAll(n.inputs());
      }
    }
    return live;
  }

  /**
   * {@code x} flattened when the child reads {@code used}, else an empty vector: concatenated, such vectors hold only
   * the child's gradients (or batch-norm statistics), in order. Zeros for the others were most of the bytes a
   * recurrent supernet's step fetched (its per-input weights are ~100 MB, a child reads ~12 MB).
   */
  Output<TFloat32> flatWhenUsed(Operand<TFloat32> x, ParamKey used) {
    Operand<TBool> g = gate(new Cond("uses " + used, v -> v.params().contains(used)));
    Operand<TFloat32> empty = ops.emptyFloats();
    return tf.merge(List.of(passIf(tf.reshape(x, ops.ints(new int[] {-1})), g),
        tf.switchCond(empty, g).outputFalse())).output();
  }
}
