package dev.enas.api.space;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphDot;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.DecisionSchema;

/**
 * A search space: its supernet in the network IR and the ordered choice points of that supernet.
 * It knows nothing of controllers or engines.
 */
public interface SearchSpace {

  TaskKind task();

  /** The ordered choice points; an architecture is one value for each. */
  DecisionSchema schema();

  /** The supernet: the IR graph with a choice node for every choice point. */
  Graph supernet();

  /** Parses the authors' architecture string; errors name the position, the value and the allowed range. */
  default Architecture parse(String text) {
    return schema().parse(text);
  }

  /** Prints the authors' architecture string; {@code parse(format(a))} equals {@code a}. */
  default String format(Architecture architecture) {
    return architecture.tokenString();
  }

  /** The plain IR graph of one child. */
  default Graph child(Architecture architecture) {
    return supernet().resolve(architecture.byKey());
  }

  /** A readable, multi-line description of an architecture, in the space's own terms. */
  String describe(Architecture architecture);

  /** A Graphviz DOT diagram of the architecture; spaces may draw their cells instead of the whole network. */
  default String dot(Architecture architecture) {
    return GraphDot.render("child", child(architecture));
  }
}
