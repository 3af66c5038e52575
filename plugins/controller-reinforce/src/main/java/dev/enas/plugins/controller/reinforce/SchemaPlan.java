package dev.enas.plugins.controller.reinforce;

import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A decision schema compiled for the LSTM controller: what kind each choice is, which op group it
 * embeds through, which anchors it attends over, and how many LSTM steps a whole sample takes.
 */
final class SchemaPlan {

  /** How the controller treats one choice point. */
  enum Kind {
    LAYER,
    SINGLE_INPUT,
    MULTI_INPUT
  }

  /**
   * One choice point.
   *
   * @param group index of the layer group (layer choices only)
   * @param candidates candidate anchor ids (input choices only)
   * @param anchorsBefore anchors that exist when the choice is made
   */
  record Point(Kind kind, int group, int options, int[] candidates, boolean closesAnchor, int tokenOffset,
      int anchorsBefore) {}

  final int initialAnchors;
  final List<Point> points;
  final List<String> groups;
  final int[] groupSizes;
  final int anchorCount;
  final int multiCount;
  final int tokenCount;
  final int maxCandidates;

  SchemaPlan(DecisionSchema schema) {
    this.initialAnchors = schema.initialAnchors();
    if (initialAnchors < 0) {
      throw new IllegalArgumentException("schema has " + initialAnchors + " initial anchors; allowed >= 0");
    }
    Map<String, Integer> groupIndex = new LinkedHashMap<>();
    Map<String, String> groupFirstKey = new LinkedHashMap<>();
    List<Integer> sizes = new ArrayList<>();
    List<Point> list = new ArrayList<>();
    int anchors = initialAnchors;
    int multi = 0;
    int offset = 0;
    int maxCand = 1;
    for (ChoicePoint p : schema.points()) {
      Point point;
      if (p instanceof ChoicePoint.Layer layer) {
        int n = layer.options().size();
        Integer g = groupIndex.get(layer.group());
        if (g == null) {
          g = groupIndex.size();
          groupIndex.put(layer.group(), g);
          groupFirstKey.put(layer.group(), layer.key());
          sizes.add(n);
        } else if (sizes.get(g) != n) {
          throw new IllegalArgumentException("layer choice " + layer.key() + " has " + n + " options but "
              + groupFirstKey.get(layer.group()) + " in the same group '" + layer.group() + "' has " + sizes.get(g)
              + "; a group shares one op embedding table, so all its choices need the same number of options");
        }
        point = new Point(Kind.LAYER, g, n, new int[0], p.closesAnchor(), offset, anchors);
      } else {
        ChoicePoint.Input in = (ChoicePoint.Input) p;
        int[] cands = in.anchors().stream().mapToInt(Integer::intValue).toArray();
        maxCand = Math.max(maxCand, cands.length);
        if (in.multi()) {
          multi++;
        }
        point = new Point(in.multi() ? Kind.MULTI_INPUT : Kind.SINGLE_INPUT, -1, cands.length, cands,
            p.closesAnchor(), offset, anchors);
      }
      list.add(point);
      offset += p.arity();
      if (p.closesAnchor()) {
        anchors++;
      }
    }
    this.points = List.copyOf(list);
    this.groups = List.copyOf(groupIndex.keySet());
    this.groupSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
    this.anchorCount = anchors;
    this.multiCount = multi;
    this.tokenCount = offset;
    this.maxCandidates = maxCand;
  }

  /** LSTM steps of one sample: one per initial anchor, one per choice, and one per anchor with EXTRA_STEP. */
  int stepCount(boolean extraAnchorSteps) {
    int closing = anchorCount - initialAnchors;
    return initialAnchors + points.size() + (extraAnchorSteps ? closing : 0);
  }

  int groupIndex(String group) {
    return groups.indexOf(group);
  }

  /** A short digest of what the network's shape depends on, so a state saved for another schema is refused. */
  String digest() {
    StringBuilder b = new StringBuilder().append(initialAnchors).append(';');
    for (Point p : points) {
      b.append(p.kind().ordinal()).append(',').append(p.group()).append(',').append(p.options()).append(',')
          .append(java.util.Arrays.toString(p.candidates())).append(',').append(p.closesAnchor()).append(';');
    }
    CRC32 crc = new CRC32();
    crc.update(b.toString().getBytes(StandardCharsets.UTF_8));
    return points.size() + " choices, crc " + Long.toHexString(crc.getValue());
  }
}
