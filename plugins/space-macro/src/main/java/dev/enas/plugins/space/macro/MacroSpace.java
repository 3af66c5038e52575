package dev.enas.plugins.space.macro;

import dev.enas.api.ir.Graph;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.TaskKind;
import dev.enas.support.tokens.TokenText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * ENAS's macro search space (reference §1): L layers in a chain, each picking one of six ops and any
 * skip connections from the stem and the layers before its predecessor. The architecture string is the
 * authors' whole-channel format: for each layer its op id, then one skip bit per earlier output.
 */
public final class MacroSpace implements SearchSpace {
  private final MacroSettings settings;
  private final DecisionSchema schema;
  private final Graph supernet;

  MacroSpace(MacroSettings settings) {
    this.settings = settings;
    this.schema = schema(settings.layers());
    this.supernet = MacroSupernet.build(settings);
  }

  /**
   * The schema: layer i's op ({@code layer<i>/op}), then for i >= 1 its skip bits ({@code layer<i>/skip},
   * over anchors 0..i-1). Anchor 0 is the stem; layer i closes anchor i+1.
   */
  static DecisionSchema schema(int layers) {
    List<ChoicePoint> points = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      points.add(new ChoicePoint.Layer("layer" + i + "/op", MacroOp.labels(), "macro-ops", i == 0));
      if (i > 0) {
        points.add(new ChoicePoint.Input("layer" + i + "/skip", IntStream.range(0, i).boxed().toList(), true, true));
      }
    }
    return new DecisionSchema(points, 1);
  }

  @Override
  public TaskKind task() {
    return TaskKind.IMAGE_CLASSIFICATION;
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
    String layout = "a " + settings.layers() + "-layer macro architecture is, for each layer, its op id and then one "
        + "skip bit for each earlier output: the stem and the layers before its predecessor";
    return TokenText.parse(schema, text, layout, new TokenText.Positions() {
      @Override
      public String where(int position) {
        int layer = 0;
        while ((layer + 1) * (layer + 2) / 2 <= position) {
          layer++;
        }
        int j = position - layer * (layer + 1) / 2;
        return j == 0 ? "layer " + layer + " op id"
            : "layer " + layer + " skip bit " + (j - 1) + ", from " + source(j - 1);
      }

      @Override
      public String hint(int position, int value) {
        return where(position).endsWith("op id") ? " (" + MacroOp.legend() + ")" : " (1 adds the skip connection)";
      }
    });
  }

  @Override
  public String describe(Architecture architecture) {
    MacroArchitecture a = MacroArchitecture.of(architecture);
    StringBuilder d = new StringBuilder();
    int c = settings.channels();
    int h = settings.image().height();
    int w = settings.image().width();
    d.append("macro network: ").append(a.layers()).append(" layers, ").append(c).append(" channels")
        .append(settings.doubleChannels() && !settings.reductionLayers().isEmpty() ? " doubling at each reduction" : "")
        .append(", skips ").append(settings.concatSkips() ? "concatenated (ReLU, 1x1 conv, batch norm)"
            : "summed (then batch norm)").append('\n');
    d.append("stem: conv 3x3 to ").append(c).append(" channels, batch norm; ").append(h).append('x').append(w)
        .append('\n');
    int[] counts = new int[MacroOp.values().length];
    for (int i = 0; i < a.layers(); i++) {
      counts[a.ops()[i].ordinal()]++;
      d.append(String.format("layer %2d: %-12s <- %s", i, a.ops()[i].label, source(i)));
      List<String> from = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (a.skips()[i][j]) {
          from.add(source(j));
        }
      }
      if (!from.isEmpty()) {
        d.append("; skips from ").append(String.join(", ", from));
      }
      d.append('\n');
      if (settings.reductionLayers().contains(i)) {
        c = settings.doubleChannels() ? 2 * c : c;
        h = (h + 1) / 2;
        w = (w + 1) / 2;
        d.append("  reduction: every kept output factorized-reduced to ").append(c).append(" channels, ")
            .append(h).append('x').append(w).append('\n');
      }
    }
    d.append("head: global average pool, dropout ").append(settings.dropoutRate()).append(", dense ")
        .append(settings.classes()).append('\n');
    List<String> used = new ArrayList<>();
    for (MacroOp op : MacroOp.values()) {
      if (counts[op.ordinal()] > 0) {
        used.add(counts[op.ordinal()] + " " + op.label);
      }
    }
    int possible = a.layers() * (a.layers() - 1) / 2;
    d.append("ops: ").append(String.join(", ", used)).append("; skip connections: ").append(a.skipCount())
        .append(" of ").append(possible).append('\n');
    return d.toString();
  }

  @Override
  public String dot(Architecture architecture) {
    return MacroDot.render(MacroArchitecture.of(architecture), settings);
  }

  /** What anchor j is, in words: the stem or layer j-1. */
  static String source(int anchor) {
    return anchor == 0 ? "stem" : "layer " + (anchor - 1);
  }

  MacroSettings settings() {
    return settings;
  }
}
