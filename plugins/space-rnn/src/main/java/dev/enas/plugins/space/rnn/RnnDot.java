package dev.enas.plugins.space.rnn;

import java.util.List;

/** Draws a recurrent cell as Graphviz DOT: x[t] and h[t-1] into node 0, one edge per node's input, the averaged nodes into h[t]. */
final class RnnDot {
  private RnnDot() {}

  static String render(RecurrentCell cell, RnnSettings s) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"enas-rnn\" {\n");
    dot.append("  rankdir=TB;\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    dot.append("  \"x\" [label=\"x[t]\", shape=ellipse, fillcolor=\"#dddddd\"];\n");
    dot.append("  \"h_prev\" [label=\"h[t-1]\", shape=ellipse, fillcolor=\"#dddddd\"];\n");
    List<Integer> loose = cell.looseEnds();
    for (int l = 0; l <= cell.lastNode(); l++) {
      dot.append("  \"n").append(l).append("\" [label=\"").append(l).append(": ")
          .append(RnnSettings.label(cell.activation()[l])).append("\", fillcolor=\"")
          .append(loose.contains(l) ? "#fde9c9" : "#eef3fb").append("\"];\n");
      if (l == 0) {
        dot.append("  \"x\" -> \"n0\";\n  \"h_prev\" -> \"n0\";\n");
      } else {
        dot.append("  \"n").append(cell.input()[l]).append("\" -> \"n").append(l).append("\";\n");
      }
    }
    dot.append("  \"avg\" [label=\"avg\", shape=ellipse, fillcolor=\"#ffffff\"];\n");
    for (int j : cell.averaged(s.looseEndOutput())) {
      dot.append("  \"n").append(j).append("\" -> \"avg\" [style=dashed];\n");
    }
    dot.append("  \"h\" [label=\"h[t]\", shape=ellipse, fillcolor=\"#fde9c9\"];\n");
    dot.append("  \"avg\" -> \"h\";\n");
    dot.append("}\n");
    return dot.toString();
  }
}
