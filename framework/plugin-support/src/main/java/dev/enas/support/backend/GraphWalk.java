package dev.enas.support.backend;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** The graph's outputs, in order; the graph must have no choice nodes left. */
  public static <T> List<T> apply(Graph child, Lowering<T> lowering) {
    Map<String, TensorShape> shapes = child.shapes();
    Map<String, T> values = new HashMap<>();
    for (Node n : child.nodes()) {
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
    for (String id : child.outputs()) {
      out.add(values.get(id));
    }
    return out;
  }
}
