package dev.enas.support.schemas;

import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Schemas shaped like the three ENAS search spaces, built by hand (plugins do not depend on each other);
 * the controller plugins' tests get them from this module's test jar.
 */
public final class TestSchemas {
  private TestSchemas() {}

  /** The micro space: 2 cell inputs, 5 blocks per cell, normal cell then reduction cell, 5 ops. */
  public static DecisionSchema micro() {
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
  public static DecisionSchema macro(int layers) {
    List<String> ops = List.of("conv3", "sep3", "conv5", "sep5", "avg", "max");
    List<ChoicePoint> points = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      points.add(new ChoicePoint.Layer("layer" + i + "/op", ops, "macro-ops", i == 0));
      if (i >= 1) {
        points.add(new ChoicePoint.Input("layer" + i + "/skip", range(i), true, true));
      }
    }
    return new DecisionSchema(points, 1);
  }

  /** The recurrent cell: node 0 exists, node l picks one earlier node and one of 4 activations. */
  public static DecisionSchema rnn(int nodes) {
    List<String> acts = List.of("tanh", "relu", "sigmoid", "identity");
    List<ChoicePoint> points = new ArrayList<>();
    for (int l = 1; l <= nodes; l++) {
      points.add(new ChoicePoint.Input("node" + l + "/input", range(l), false, false));
      points.add(new ChoicePoint.Layer("node" + l + "/act", acts, "rnn-acts", true));
    }
    return new DecisionSchema(points, 1);
  }

  /** A small schema with every kind of choice: two layer groups, single and multi input choices. */
  public static DecisionSchema small() {
    return new DecisionSchema(List.of(
        new ChoicePoint.Layer("op0", List.of("a", "b", "c"), "ops", true),
        new ChoicePoint.Input("in1", List.of(0, 1, 2), false, false),
        new ChoicePoint.Layer("op1", List.of("a", "b", "c"), "ops", true),
        new ChoicePoint.Input("skip2", List.of(0, 1, 2, 3), true, true),
        new ChoicePoint.Layer("act2", List.of("x", "y"), "acts", false),
        new ChoicePoint.Input("in3", List.of(1, 3, 4), false, true),
        new ChoicePoint.Input("skip4", List.of(0, 2, 4, 5), true, false)), 2);
  }

  /** A schema small enough to enumerate: 2 x 2 x 2^2 = 16 architectures. */
  public static DecisionSchema tiny() {
    return new DecisionSchema(List.of(
        new ChoicePoint.Layer("op0", List.of("a", "b"), "ops", true),
        new ChoicePoint.Input("in1", List.of(0, 1), false, true),
        new ChoicePoint.Input("skip2", List.of(1, 2), true, false)), 1);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }
}
