package dev.enas.api.ir;

import dev.enas.api.ir.Node.InputChoice;
import dev.enas.api.ir.Node.LayerChoice;
import dev.enas.api.ir.Node.LooseEnds;
import dev.enas.api.ir.Node.OpNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network in the IR: nodes in topological order (every input is declared before it is read) and
 * the ids of the outputs. A graph with choice nodes is a supernet; {@link #resolve} turns it into the
 * plain graph of one child.
 */
public final class Graph {
  private final List<Node> nodes;
  private final List<String> outputs;
  private final Map<String, Node> byId;
  private Resolution origin;

  /**
   * Where a child came from: the supernet and the choice values {@link #resolve} was given. A backend may run the
   * child as its supernet with these values fed in, instead of compiling the child on its own.
   */
  public record Resolution(Graph supernet, Map<String, int[]> values) {
    public Resolution {
      Map<String, int[]> copy = new LinkedHashMap<>();
      values.forEach((k, v) -> copy.put(k, v.clone()));
      values = java.util.Collections.unmodifiableMap(copy);
    }
  }

  /** Builds a graph; throws {@link IrException} on duplicate ids or inputs that are not declared earlier. */
  public Graph(List<Node> nodes, List<String> outputs) {
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
    this.byId = new LinkedHashMap<>();
    for (Node n : this.nodes) {
      for (String in : n.inputs()) {
        if (!byId.containsKey(in)) {
          throw new IrException("node " + n.id() + " reads " + in + ", which is not declared before it");
        }
      }
      if (n instanceof LooseEnds l) {
        for (String end : l.ends()) {
          if (!byId.containsKey(end)) {
            throw new IrException("loose ends " + n.id() + " name end " + end + ", which is not declared before it");
          }
        }
      }
      if (byId.put(n.id(), n) != null) {
        throw new IrException("duplicate node id " + n.id());
      }
    }
    if (this.outputs.isEmpty()) {
      throw new IrException("a graph needs at least one output");
    }
    for (String out : this.outputs) {
      if (!byId.containsKey(out)) {
        throw new IrException("output " + out + " is not a node of the graph");
      }
    }
  }

  public List<Node> nodes() {
    return nodes;
  }

  public List<String> outputs() {
    return outputs;
  }

  public Node node(String id) {
    Node n = byId.get(id);
    if (n == null) {
      throw new IrException("no node " + id);
    }
    return n;
  }

  /** The input nodes, in declaration order. */
  public List<OpNode> inputNodes() {
    List<OpNode> in = new ArrayList<>();
    for (Node n : nodes) {
      if (n instanceof OpNode o && o.op() instanceof Op.Input) {
        in.add(o);
      }
    }
    return in;
  }

  /** The supernet and values this child was resolved from, when it came from {@link #resolve}. */
  public java.util.Optional<Resolution> origin() {
    return java.util.Optional.ofNullable(origin);
  }

  /** Whether the graph still holds choice nodes. */
  public boolean hasChoices() {
    return nodes.stream().anyMatch(n -> !(n instanceof OpNode));
  }

  /**
   * The child graph for one value per choice key: a layer choice becomes its chosen candidate's nodes
   * (ids prefixed with the choice node's id), an input choice becomes an identity or a combine op over
   * the selected inputs, loose ends become a combine op over the ends that no input choice selected,
   * and parameter-key placeholders take the chosen values. Nodes that no output depends on are dropped.
   *
   * @param values for each choice key: {@code [index]} for a single choice, one 0/1 bit per candidate for a multi one
   */
  public Graph resolve(Map<String, int[]> values) {
    Set<String> selected = new HashSet<>();
    for (Node n : nodes) {
      if (n instanceof InputChoice c) {
        selected.addAll(selectedInputs(c, values));
      }
    }
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) {
      if (n instanceof OpNode o) {
        out.add(new OpNode(o.id(), o.op().mapKeys(k -> resolveKey(k, values)), o.inputs()));
      } else if (n instanceof LayerChoice c) {
        inlineCandidate(c, value(values, c.key(), 1)[0], values, out);
      } else if (n instanceof InputChoice c) {
        out.add(combined(c.id(), selectedInputs(c, values), c.combine()));
      } else if (n instanceof LooseEnds l) {
        out.add(looseEnds(l, selected));
      }
    }
    Graph child = new Graph(out, outputs).pruned();
    child.origin = new Resolution(this, values);
    return child;
  }

  private static ParamKey resolveKey(ParamKey k, Map<String, int[]> values) {
    return k.isTemplate() ? k.resolve(key -> values.containsKey(key) ? values.get(key)[0] : null) : k;
  }

  private static int[] value(Map<String, int[]> values, String key, int arity) {
    int[] v = values.get(key);
    if (v == null) {
      throw new IrException("no value for choice " + key);
    }
    if (v.length != arity) {
      throw new IrException("choice " + key + " takes " + arity + " value(s), got " + v.length);
    }
    return v;
  }

  private static void inlineCandidate(LayerChoice c, int index, Map<String, int[]> values, List<Node> out) {
    if (index < 0 || index >= c.candidates().size()) {
      throw new IrException("choice " + c.key() + " has " + c.candidates().size() + " candidates, got index " + index);
    }
    Graph g = c.candidates().get(index);
    Map<String, String> rename = new HashMap<>();
    List<OpNode> ins = g.inputNodes();
    for (int i = 0; i < ins.size(); i++) {
      rename.put(ins.get(i).id(), c.inputs().get(i));
    }
    for (Node n : g.nodes()) {
      if (rename.containsKey(n.id())) {
        continue;
      }
      if (!(n instanceof OpNode o)) {
        throw new IrException("layer choice " + c.key() + ": candidates must not contain choice nodes");
      }
      String id = c.id() + "/" + o.id();
      rename.put(o.id(), id);
      List<String> inputs = o.inputs().stream().map(rename::get).toList();
      out.add(new OpNode(id, o.op().mapKeys(k -> resolveKey(k, values)), inputs));
    }
    out.add(new OpNode(c.id(), new Op.Identity(), List.of(rename.get(g.outputs().get(0)))));
  }

  private static List<String> selectedInputs(InputChoice c, Map<String, int[]> values) {
    int[] v = value(values, c.key(), c.multi() ? c.candidates().size() : 1);
    List<String> selected = new ArrayList<>(c.fixed());
    if (c.multi()) {
      for (int i = 0; i < v.length; i++) {
        if (v[i] == 1) {
          selected.add(c.candidates().get(i));
        } else if (v[i] != 0) {
          throw new IrException("choice " + c.key() + " takes 0/1 bits, got " + v[i]);
        }
      }
    } else {
      if (v[0] < 0 || v[0] >= c.candidates().size()) {
        throw new IrException("choice " + c.key() + " has " + c.candidates().size() + " candidates, got index " + v[0]);
      }
      selected.add(c.candidates().get(v[0]));
    }
    if (selected.isEmpty()) {
      throw new IrException("input choice " + c.key() + " selected no input and has no fixed input");
    }
    return selected;
  }

  private static OpNode looseEnds(LooseEnds l, Set<String> selected) {
    List<String> loose = new ArrayList<>();
    for (int i = 0; i < l.ends().size(); i++) {
      if (!selected.contains(l.ends().get(i))) {
        loose.add(l.candidates().get(i));
      }
    }
    if (loose.isEmpty()) {
      throw new IrException("loose ends " + l.id() + ": input choices select every end " + l.ends());
    }
    return combined(l.id(), loose, l.combine());
  }

  private static OpNode combined(String id, List<String> selected, Node.Combine combine) {
    if (selected.size() == 1) {
      return new OpNode(id, new Op.Identity(), selected);
    }
    Op op = switch (combine) {
      case SUM -> new Op.Add();
      case MEAN -> new Op.Mean();
      case CONCAT -> new Op.Concat();
    };
    return new OpNode(id, op, selected);
  }

  /** This graph without the nodes that no output depends on (inputs are always kept). */
  public Graph pruned() {
    Set<String> live = new HashSet<>(outputs);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (live.contains(n.id())) {
        live.addAll(n.inputs());
      }
    }
    List<Node> kept = new ArrayList<>();
    for (Node n : nodes) {
      if (live.contains(n.id()) || (n instanceof OpNode o && o.op() instanceof Op.Input)) {
        kept.add(n);
      }
    }
    if (kept.size() == nodes.size()) {
      return this;
    }
    Graph g = new Graph(kept, outputs);
    g.origin = origin;
    return g;
  }

  /** The output shape of every node, checking each op's shape rules; the graph must have no choices. */
  public Map<String, TensorShape> shapes() {
    Map<String, TensorShape> shapes = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (!(n instanceof OpNode o)) {
        throw new IrException("node " + n.id() + " is an unresolved choice; resolve the supernet first");
      }
      List<TensorShape> in = o.inputs().stream().map(shapes::get).toList();
      try {
        shapes.put(o.id(), o.op().outputShape(in));
      } catch (IrException e) {
        throw new IrException("node " + o.id() + ": " + e.getMessage());
      }
    }
    return shapes;
  }

  /** Every tensor the child owns, once per key; the graph must have no choices. */
  public List<ParamSpec> params() {
    Map<String, TensorShape> shapes = shapes();
    Map<ParamKey, ParamSpec> specs = new LinkedHashMap<>();
    for (Node n : nodes) {
      OpNode o = (OpNode) n;
      List<TensorShape> in = o.inputs().stream().map(shapes::get).toList();
      for (ParamSpec p : o.op().params(in)) {
        ParamSpec prev = specs.putIfAbsent(p.key(), p);
        if (prev != null && !prev.shape().equals(p.shape())) {
          throw new IrException("parameter " + p.key() + " is used with shapes " + prev.shape() + " and " + p.shape());
        }
      }
    }
    return List.copyOf(specs.values());
  }

  /** Number of trainable scalars of the child. */
  public long parameterCount() {
    return params().stream().filter(ParamSpec::trainable).mapToLong(p -> p.shape().size()).sum();
  }

  /** Forward FLOPs for one example; the graph must have no choices. */
  public long flops() {
    Map<String, TensorShape> shapes = shapes();
    long total = 0;
    for (Node n : nodes) {
      OpNode o = (OpNode) n;
      total += o.op().flops(o.inputs().stream().map(shapes::get).toList());
    }
    return total;
  }
}
