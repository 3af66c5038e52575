package dev.enas.plugins.space.macro;

/** Draws a macro architecture as Graphviz DOT: the layer chain, its skip edges and the reductions, as in the paper's figure. */
final class MacroDot {
  private MacroDot() {}

  static String render(MacroArchitecture a, MacroSettings s) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"enas-macro\" {\n");
    dot.append("  rankdir=TB;\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    dot.append("  \"stem\" [label=\"stem\\nconv 3x3\", fillcolor=\"#dddddd\"];\n");
    String prev = "stem";
    for (int i = 0; i < a.layers(); i++) {
      String id = "layer" + i;
      dot.append("  \"").append(id).append("\" [label=\"layer ").append(i).append("\\n").append(a.ops()[i].label)
          .append("\", fillcolor=\"").append(color(a.ops()[i])).append("\"];\n");
      dot.append("  \"").append(prev).append("\" -> \"").append(id).append("\";\n");
      for (int j = 0; j < i; j++) {
        if (a.skips()[i][j]) {
          dot.append("  \"").append(j == 0 ? "stem" : "layer" + (j - 1)).append("\" -> \"").append(id)
              .append("\" [style=dashed, color=\"#3b6fb6\", constraint=false];\n");
        }
      }
      prev = id;
      int r = s.reductionLayers().indexOf(i);
      if (r >= 0) {
        String red = "reduction" + r;
        dot.append("  \"").append(red).append("\" [label=\"factorized reduce /2\", shape=ellipse, fillcolor=\"#ffffff\"];\n");
        dot.append("  \"").append(prev).append("\" -> \"").append(red).append("\";\n");
        prev = red;
      }
    }
    dot.append("  \"logits\" [label=\"avg pool, dense ").append(s.classes()).append("\", fillcolor=\"#fde9c9\"];\n");
    dot.append("  \"").append(prev).append("\" -> \"logits\";\n");
    dot.append("}\n");
    return dot.toString();
  }

  private static String color(MacroOp op) {
    return switch (op.kind) {
      case CONV -> "#cfe0f7";
      case SEPARABLE -> "#d5eecf";
      case POOL -> "#f3e3c3";
    };
  }
}
