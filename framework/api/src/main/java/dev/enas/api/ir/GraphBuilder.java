package dev.enas.api.ir;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Graph} node by node, in topological order. */
public final class GraphBuilder {
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();

  public String input(String id, String name, TensorShape shape) {
    return add(new Node.OpNode(id, new Op.Input(name, shape), List.of()));
  }

  public String op(String id, Op op, String... inputs) {
    return add(new Node.OpNode(id, op, List.of(inputs)));
  }

  public String op(String id, Op op, List<String> inputs) {
    return add(new Node.OpNode(id, op, inputs));
  }

  /** Adds a chain of single-input ops: {@code id/0, id/1, ...}; returns the last id. */
  public String chain(String id, String input, Op... ops) {
    String x = input;
    for (int i = 0; i < ops.length; i++) {
      x = op(ops.length == 1 ? id : id + "/" + i, ops[i], x);
    }
    return x;
  }

  public String layerChoice(String id, String key, List<String> inputs, List<String> names, List<Graph> candidates) {
    return add(new Node.LayerChoice(id, key, inputs, candidates, names));
  }

  public String inputChoice(String id, String key, List<String> fixed, List<String> candidates, boolean multi,
      Node.Combine combine) {
    return add(new Node.InputChoice(id, key, fixed, candidates, multi, combine));
  }

  /** Adds a cell's loose ends: {@code candidates.get(i)} is combined when no input choice selects {@code ends.get(i)}. */
  public String looseEnds(String id, List<String> ends, List<String> candidates, Node.Combine combine) {
    return add(new Node.LooseEnds(id, ends, candidates, combine));
  }

  public GraphBuilder output(String id) {
    outputs.add(id);
    return this;
  }

  public Graph build() {
    return new Graph(nodes, outputs);
  }

  private String add(Node n) {
    nodes.add(n);
    return n.id();
  }
}
