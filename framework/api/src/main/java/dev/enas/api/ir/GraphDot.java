package dev.enas.api.ir;

import java.util.List;
import java.util.Map;

/** Renders a child graph as a Graphviz DOT diagram: a box per op, an edge per input. */
public final class GraphDot {
  private GraphDot() {}

  public static String render(String title, Graph g) {
    Map<String, TensorShape> shapes = g.hasChoices() ? Map.of() : g.shapes();
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"").append(escape(title)).append("\" {\n");
    dot.append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n");
    for (Node n : g.nodes()) {
      String label;
      if (n instanceof Node.OpNode o) {
        label = o.op().label();
      } else if (n instanceof Node.LayerChoice c) {
        label = "layer choice " + c.key();
      } else if (n instanceof Node.InputChoice c) {
        label = "input choice " + c.key();
      } else {
        label = "loose ends (" + ((Node.LooseEnds) n).combine().name().toLowerCase(java.util.Locale.ROOT) + ")";
      }
      TensorShape s = shapes.get(n.id());
      dot.append("  \"").append(escape(n.id())).append("\" [label=\"").append(escape(label))
          .append(s == null ? "" : "\\n" + s).append("\"");
      if (g.outputs().contains(n.id())) {
        dot.append(", fillcolor=\"#fde9c9\"");
      }
      dot.append("];\n");
      List<String> inputs = n.inputs();
      for (String in : inputs) {
        dot.append("  \"").append(escape(in)).append("\" -> \"").append(escape(n.id())).append("\";\n");
      }
    }
    dot.append("}\n");
    return dot.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
