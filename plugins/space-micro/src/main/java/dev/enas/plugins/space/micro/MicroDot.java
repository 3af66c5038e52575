package dev.enas.plugins.space.micro;

import java.util.List;

/** Draws the two cells of a micro architecture as Graphviz DOT clusters, as in the paper's cell figures. */
final class MicroDot {
  private MicroDot() {}

  static String render(List<Cell> cells, MicroSettings s) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"enas-micro\" {\n");
    dot.append("  rankdir=TB;\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for (Cell cell : cells) {
      String c = cell.type().key;
      dot.append("  subgraph cluster_").append(c).append(" {\n");
      dot.append("    label=\"").append(cell.type().label).append("\";\n");
      dot.append("    \"").append(c).append("/n0\" [label=\"c_{k-2}\", shape=ellipse, fillcolor=\"#dddddd\"];\n");
      dot.append("    \"").append(c).append("/n1\" [label=\"c_{k-1}\", shape=ellipse, fillcolor=\"#dddddd\"];\n");
      for (int b = 0; b < cell.blocks(); b++) {
        String node = c + "/n" + (b + 2);
        op(dot, c + "/b" + b + "/x", cell.xOp()[b], c + "/n" + cell.xInput()[b], node);
        op(dot, c + "/b" + b + "/y", cell.yOp()[b], c + "/n" + cell.yInput()[b], node);
        dot.append("    \"").append(node).append("\" [label=\"").append(b + 2)
            .append(" (add)\", shape=ellipse, fillcolor=\"#ffffff\"];\n");
      }
      List<Integer> loose = cell.looseEnds(s.firstLooseEnd());
      dot.append("    \"").append(c).append("/out\" [label=\"concat (").append(loose.size())
          .append("C)\", fillcolor=\"#fde9c9\"];\n");
      for (int j : loose) {
        dot.append("    \"").append(c).append("/n").append(j).append("\" -> \"").append(c).append("/out\";\n");
      }
      dot.append("  }\n");
    }
    dot.append("}\n");
    return dot.toString();
  }

  private static void op(StringBuilder dot, String id, MicroOp op, String from, String to) {
    dot.append("    \"").append(id).append("\" [label=\"").append(op.label).append("\", fillcolor=\"")
        .append(op.separable() ? "#d5eecf" : op == MicroOp.IDENTITY ? "#f5f5f5" : "#f3e3c3").append("\"];\n");
    dot.append("    \"").append(from).append("\" -> \"").append(id).append("\";\n");
    dot.append("    \"").append(id).append("\" -> \"").append(to).append("\";\n");
  }
}
