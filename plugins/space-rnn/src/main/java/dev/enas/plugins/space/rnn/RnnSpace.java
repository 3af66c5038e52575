package dev.enas.plugins.space.rnn;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.TaskKind;
import dev.enas.support.tokens.TokenText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * ENAS's recurrent cell search space (reference §3): highway nodes, each reading one earlier node
 * through one of four activations, averaged into the new state. The architecture string is enas_lm's
 * (previous node, activation) pairs by default, or the old implementation's format.
 */
public final class RnnSpace implements SearchSpace {
  private final RnnSettings settings;
  private final DecisionSchema schema;
  private final Graph supernet;

  RnnSpace(RnnSettings settings) {
    this.settings = settings;
    this.schema = schema(settings);
    this.supernet = RnnSupernet.build(settings);
  }

  /**
   * The schema. enas_lm: anchor 0 is node 0; node l picks its input among anchors 0..l-1, then its
   * activation, which closes anchor l. Old format: no anchor at first; node 0's activation closes anchor 0.
   */
  static DecisionSchema schema(RnnSettings s) {
    List<ChoicePoint> points = new ArrayList<>();
    if (s.lstm()) {
      return new DecisionSchema(points, 0);
    }
    if (s.oldFormat()) {
      points.add(new ChoicePoint.Layer("node0/act", s.labels(), "rnn-acts", true));
    }
    for (int l = 1; l <= s.lastNode(); l++) {
      points.add(new ChoicePoint.Input("node" + l + "/input", IntStream.range(0, l).boxed().toList(), false, false));
      points.add(new ChoicePoint.Layer("node" + l + "/act", s.labels(), "rnn-acts", true));
    }
    return new DecisionSchema(points, s.oldFormat() ? 0 : 1);
  }

  @Override
  public TaskKind task() {
    return TaskKind.LANGUAGE_MODEL;
  }

  @Override
  public DecisionSchema schema() {
    return schema;
  }

  @Override
  public Graph supernet() {
    return supernet;
  }

  @Override
  public Architecture parse(String text) {
    if (settings.lstm()) {
      return TokenText.parse(schema, text, "the LSTM cell has nothing to choose: its architecture string is empty",
          new TokenText.Positions() {
            @Override
            public String where(int position) {
              return "nothing";
            }

            @Override
            public String hint(int position, int value) {
              return "";
            }
          });
    }
    String layout = settings.oldFormat()
        ? "an old-format cell of " + settings.nodes() + " nodes is node 0's activation, then a previous node index and "
            + "an activation for each of nodes 1.." + settings.lastNode()
        : "an enas_lm cell of " + settings.nodes() + " nodes is a previous node index and an activation for each of "
            + "nodes 1.." + settings.lastNode();
    int shift = settings.oldFormat() ? 1 : 0;
    return TokenText.parse(schema, text, layout, new TokenText.Positions() {
      @Override
      public String where(int position) {
        if (position < shift) {
          return "node 0 activation";
        }
        int node = (position - shift) / 2 + 1;
        return "node " + node + ((position - shift) % 2 == 0 ? " input" : " activation");
      }

      @Override
      public String hint(int position, int value) {
        if (position < shift || (position - shift) % 2 == 1) {
          return " (" + settings.legend() + ")";
        }
        int node = (position - shift) / 2 + 1;
        return value >= node ? ": it points forward, at node " + value + ", but node " + node + " can read only nodes 0.."
            + (node - 1) : " (a previous node index)";
      }
    });
  }

  @Override
  public String describe(Architecture architecture) {
    if (settings.lstm()) {
      return "LSTM language model: hidden " + settings.hidden() + ", input " + settings.embedding() + ", "
          + supernet.params().stream().filter(ParamSpec::trainable).mapToLong(p -> p.shape().size()).sum()
          + " parameters\n"
          + "[i, f, g, o] = [x[t], h[t-1]] W + b, c[t] = sigmoid(f) c[t-1] + sigmoid(i) tanh(g), "
          + "h[t] = sigmoid(o) tanh(c[t])\n";
    }
    RecurrentCell cell = RecurrentCell.of(architecture, settings);
    StringBuilder d = new StringBuilder();
    d.append("recurrent cell, ").append(settings.oldFormat() ? "old TF" : "enas_lm").append(" format: nodes 0..")
        .append(cell.lastNode()).append(", hidden ").append(settings.hidden()).append(", input ")
        .append(settings.embedding()).append('\n');
    d.append("each node is a highway unit: [h, c] = s W, node = s + sigmoid(c) * (f(h) - s), s the node it reads\n");
    d.append("  node 0 = ").append(RnnSettings.label(cell.activation()[0])).append("(x[t], h[t-1])\n");
    for (int l = 1; l <= cell.lastNode(); l++) {
      d.append("  node ").append(l).append(" = ").append(RnnSettings.label(cell.activation()[l])).append("(node ")
          .append(cell.input()[l]).append(")\n");
    }
    List<Integer> loose = cell.looseEnds();
    d.append("loose ends: nodes ").append(join(loose)).append(" (").append(loose.size()).append(")\n");
    List<Integer> averaged = cell.averaged(settings.looseEndOutput());
    d.append("output h[t] = mean of ").append(settings.looseEndOutput() ? "the loose ends" : "all nodes after node 0")
        .append(": nodes ").append(join(averaged)).append(" (").append(averaged.size()).append(")\n");
    return d.toString();
  }

  @Override
  public String dot(Architecture architecture) {
    if (settings.lstm()) {
      return SearchSpace.super.dot(architecture);
    }
    return RnnDot.render(RecurrentCell.of(architecture, settings), settings);
  }

  private static String join(List<Integer> nodes) {
    return nodes.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  RnnSettings settings() {
    return settings;
  }
}
