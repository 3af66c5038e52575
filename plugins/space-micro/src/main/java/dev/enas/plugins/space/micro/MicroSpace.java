package dev.enas.plugins.space.micro;

import dev.enas.api.ir.Graph;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.TaskKind;
import dev.enas.support.tokens.TokenText;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * ENAS's micro (cell) search space (reference §2): a normal and a reduction cell of B blocks, each block
 * adding two ops over two earlier nodes. The architecture string is the authors' format: for each block
 * {@code index_x op_x index_y op_y}, the normal cell first.
 */
public final class MicroSpace implements SearchSpace {
  private final MicroSettings settings;
  private final DecisionSchema schema;
  private final Graph supernet;

  MicroSpace(MicroSettings settings) {
    this.settings = settings;
    this.schema = schema(settings.blocks());
    this.supernet = MicroSupernet.build(settings);
  }

  /**
   * The schema: for each cell and block, x input, x op, y input, y op; the y op closes the block's node.
   * Anchors 0 and 1 are the cell inputs (shared by both cells); the normal cell's node 2+b is anchor 2+b,
   * the reduction cell's is anchor 2+B+b.
   */
  static DecisionSchema schema(int blocks) {
    List<ChoicePoint> points = new ArrayList<>();
    for (CellType type : CellType.values()) {
      for (int b = 0; b < blocks; b++) {
        List<Integer> anchors = new ArrayList<>(List.of(0, 1));
        for (int j = 0; j < b; j++) {
          anchors.add(type == CellType.NORMAL ? 2 + j : 2 + blocks + j);
        }
        String p = type.key + "/b" + b;
        points.add(new ChoicePoint.Input(p + "/x/input", anchors, false, false));
        points.add(new ChoicePoint.Layer(p + "/x/op", MicroOp.labels(), "micro-ops", false));
        points.add(new ChoicePoint.Input(p + "/y/input", anchors, false, false));
        points.add(new ChoicePoint.Layer(p + "/y/op", MicroOp.labels(), "micro-ops", true));
      }
    }
    return new DecisionSchema(points, 2);
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
    int blocks = settings.blocks();
    String layout = "a micro architecture with " + blocks + " blocks per cell is, for each block of the normal cell "
        + "and then of the reduction cell, index_x op_x index_y op_y";
    return TokenText.parse(schema, text, layout, new TokenText.Positions() {
      @Override
      public String where(int position) {
        CellType type = position < 4 * blocks ? CellType.NORMAL : CellType.REDUCE;
        int b = position % (4 * blocks) / 4;
        int k = position % 4;
        return type.label + " block " + b + (k % 2 == 0 ? " input " : " op ") + (k < 2 ? "x" : "y");
      }

      @Override
      public String hint(int position, int value) {
        if (position % 2 == 1) {
          return " (" + MicroOp.legend() + ")";
        }
        int b = position % (4 * blocks) / 4;
        return value > b + 1 ? ": it points forward, at node " + value + ", but block " + b + " computes node "
            + (b + 2) + " and can read only nodes 0.." + (b + 1) : " (a node index)";
      }
    });
  }

  /** The two cells of an architecture. */
  List<Cell> cells(Architecture a) {
    int[] t = a.tokens();
    return List.of(Cell.of(CellType.NORMAL, t, 0, settings.blocks()),
        Cell.of(CellType.REDUCE, t, 4 * settings.blocks(), settings.blocks()));
  }

  @Override
  public String describe(Architecture architecture) {
    StringBuilder d = new StringBuilder();
    for (Cell cell : cells(architecture)) {
      d.append(cell.type().label).append(": nodes 0 and 1 are the outputs of the two previous cells");
      if (cell.type() == CellType.REDUCE && settings.fixedForm()) {
        d.append("; ops reading them have stride 2");
      }
      d.append('\n');
      for (int b = 0; b < cell.blocks(); b++) {
        d.append("  node ").append(b + 2).append(" = ").append(cell.xOp()[b].label).append("(node ")
            .append(cell.xInput()[b]).append(") + ").append(cell.yOp()[b].label).append("(node ")
            .append(cell.yInput()[b]).append(")\n");
      }
      List<Integer> loose = cell.looseEnds(settings.firstLooseEnd());
      d.append("  loose ends: nodes ").append(loose.stream().map(String::valueOf).collect(Collectors.joining(", ")))
          .append(" (").append(loose.size()).append("), concatenated: ").append(loose.size()).append("C channels");
      if (!settings.fixedForm()) {
        d.append(", then ReLU, 1x1 conv and batch norm back to C");
      }
      d.append('\n');
    }
    int n = settings.cells();
    d.append("network: stem conv 3x3 to ").append(3 * settings.channels()).append(" channels, then ").append(n)
        .append(" normal, reduction, ").append(n).append(" normal, reduction, ").append(n).append(" normal cells; C = ")
        .append(settings.channels()).append(", doubled at each reduction; ")
        .append(settings.fixedForm() ? "fixed form" : "search form").append('\n');
    d.append("head: ReLU, global average pool, dropout ").append(settings.dropoutRate()).append(", dense ")
        .append(settings.classes()).append('\n');
    if (settings.auxHead()) {
      d.append("auxiliary head on cell ").append(settings.auxHeadCell()).append(" (the first after the second "
          + "reduction): ReLU, avg 5x5 /3 valid, conv 1x1 to 128, BN, ReLU, conv to 768 over the map, BN, ReLU, "
          + "global average pool, dense ").append(settings.classes()).append("; loss weight ")
          .append(MicroSettings.AUX_LOSS_WEIGHT).append('\n');
    }
    if (settings.dropPathKeepProb() < 1) {
      d.append("drop-path after every non-identity op: keep prob ").append(settings.dropPathKeepProb())
          .append(", drop rate in cell k = (k+1)/").append(3 * n + 2).append(" x ")
          .append(String.format(java.util.Locale.ROOT, "%.2f", 1 - settings.dropPathKeepProb()))
          .append(" x training progress\n");
    }
    return d.toString();
  }

  @Override
  public String dot(Architecture architecture) {
    return MicroDot.render(cells(architecture), settings);
  }

  MicroSettings settings() {
    return settings;
  }
}
