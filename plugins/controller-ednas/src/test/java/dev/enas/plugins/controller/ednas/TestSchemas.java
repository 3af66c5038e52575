package dev.enas.plugins.controller.ednas;

import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Schemas shaped like the ENAS search spaces, built by hand (plugins do not depend on each other). */
final class TestSchemas {
  private TestSchemas() {}

  /** The micro space: 2 cell inputs, 5 blocks per cell, normal cell then reduction cell, 5 ops. */
  static DecisionSchema micro() {
    List<String> ops = List.of("sep3", "sep5", "avg3", "max3", "identity");
    List<ChoicePoint> points = new ArrayList<>();
    for (String cell : List.of("normal", "reduce")) {
      for (int b = 0; b < 5; b++) {
        List<Integer> anchors = new ArrayList<>(List.of(0, 1));
        int own = cell.equals("normal") ? 2 : 7;
        for (int k = 0; k < b; k++) {
          anchors.add(own + k);
        }
        String block = cell + "/b" + b;
        points.add(new ChoicePoint.Input(block + "/x/input", anchors, false, false));
        points.add(new ChoicePoint.Layer(block + "/x/op", ops, "micro-ops", false));
        points.add(new ChoicePoint.Input(block + "/y/input", anchors, false, false));
        points.add(new ChoicePoint.Layer(block + "/y/op", ops, "micro-ops", true));
      }
    }
    return new DecisionSchema(points, 2);
  }

  /** The macro space: per layer an op (6 ops) and, from layer 1 on, one skip bit per earlier output. */
  static DecisionSchema macro(int layers) {
    List<String> ops = List.of("conv3", "sep3", "conv5", "sep5", "avg", "max");
    List<ChoicePoint> points = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      points.add(new ChoicePoint.Layer("layer" + i + "/op", ops, "macro-ops", i == 0));
      if (i >= 1) {
        points.add(new ChoicePoint.Input("layer" + i + "/skip", IntStream.range(0, i).boxed().toList(), true, true));
      }
    }
    return new DecisionSchema(points, 1);
  }
}
