package dev.enas.support.backend;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a resolved graph once, node by node in graph order, with a backend's lowering of single ops: what a graph
 * builder (TensorFlow) and an eager interpreter (PyTorch) both do. A lowering's refusal names the node and its op.
 */
public final class GraphWalk {
  private GraphWalk() {}

  /** Lowers one op applied to already-lowered inputs of the given IR shapes. */
  @FunctionalInterface
  public interface Lowering<T> {
    T lower(Op op, List<T> inputs, List<TensorShape> shapes);
  }

  /**
   * Ids of the nodes the outputs read, directly or not, the outputs included; the walk stops at {@code given} nodes
   * (their inputs are needed only if something else reads them). {@code nodes} in graph order, choices allowed.
   */
  public static Set<String> needed(List<Node> nodes, Collection<String> outputs, Set<String> given) {
    Set<String> needed = new HashSet<>(outputs);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (needed.contains(n.id()) && !given.contains(n.id())) {
        needed.addAll(n.inputs());
      }
    }
    return needed;
  }

  /** The graph's outputs, in order; the graph must have no choice nodes left. */
  public static <T> List<T> apply(Graph child, Lowering<T> lowering) {
    return apply(child, child.outputs(), Map.of(), lowering);
  }

  /**
   * The values of the given nodes, computing only what they need: nodes whose value is {@code given} are taken as they
   * are, and what only they read is not computed (how a {@link SequencePlan}'s parts run).
   */
  public static <T> List<T> apply(Graph child, List<String> outputs, Map<String, T> given, Lowering<T> lowering) {
    Map<String, TensorShape> shapes = child.shapes();
    Set<String> needed = needed(child.nodes(), outputs, given.keySet());
    Map<String, T> values = new HashMap<>(given);
    for (Node n : child.nodes()) {
      if (!needed.contains(n.id()) || given.containsKey(n.id())) {
        continue;
      }
      Node.OpNode node = (Node.OpNode) n;
      List<T> in = new ArrayList<>();
      List<TensorShape> inShapes = new ArrayList<>();
      for (String id : node.inputs()) {
        in.add(values.get(id));
        inShapes.add(shapes.get(id));
      }
      try {
        values.put(node.id(), lowering.lower(node.op(), in, inShapes));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalArgumentException("node " + node.id() + " (" + node.op().label() + "): " + e.getMessage(), e);
      }
    }
    List<T> out = new ArrayList<>();
    for (String id : outputs) {
      out.add(values.get(id));
    }
    return out;
  }
}
