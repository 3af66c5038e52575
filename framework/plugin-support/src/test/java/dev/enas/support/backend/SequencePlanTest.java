package dev.enas.support.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which parts of a one-step language model run once per sequence and which once per step. */
class SequencePlanTest {

  /** tokens -> embedding -> (with the state) a highway cell -> tied softmax; outputs the logits and the cell. */
  private static GraphBuilder lm(int width) {
    GraphBuilder g = new GraphBuilder();
    g.input("tokens", BatchLayout.TOKENS, TensorShape.of(1));
    g.input("h_prev", BatchLayout.STATE, TensorShape.of(width));
    g.op("x", new Op.Embedding(10, width, ParamKey.of("embedding")), "tokens");
    g.op("cell", new Op.Highway(Activation.TANH, ParamKey.of("cell/w")), "x", "h_prev");
    return g;
  }

  @Test
  void theEmbeddingAndTheSoftmaxLeaveTheLoop() {
    GraphBuilder g = lm(4);
    g.op("drop", new Op.Dropout(0.5), "cell");
    g.op("logits", new Op.TiedDense(10, ParamKey.of("embedding"), ParamKey.of("b")), "drop");
    SequencePlan plan = SequencePlan.of(g.output("logits").output("cell").build()).orElseThrow();
    assertEquals(Set.of("tokens", "x"), plan.prefix());
    assertEquals(List.of("x"), plan.prefixOut());
    assertEquals(Set.of("h_prev", "cell"), plan.loop());
    assertEquals(List.of("cell"), plan.loopOut(), "the state, which the suffix also reads");
    assertEquals(Set.of("drop", "logits"), plan.suffix());
  }

  @Test
  void aPenalisedCellOutputIsComputedOnceOverAllSteps() {
    GraphBuilder g = lm(4);
    g.op("penalty", new Op.ActivationPenalty(0.7, 1), "cell");
    g.op("logits", new Op.TiedDense(10, ParamKey.of("embedding"), ParamKey.of("b")), "penalty");
    SequencePlan plan = SequencePlan.of(g.output("logits").output("cell").build()).orElseThrow();
    assertEquals("penalty", plan.penalised());
    assertEquals(Set.of("penalty", "logits"), plan.suffix());
    // A toy engine over lists of step labels: the activations are the penalised node's rows, step-major.
    SequencePlan.Outcome<List<String>> out = plan.run(new SequencePlan.Engine<List<String>>() {
      @Override
      public List<List<String>> apply(List<String> outputs, java.util.Map<String, List<String>> in,
          java.util.Map<String, List<String>> given) {
        List<List<String>> values = new java.util.ArrayList<>();
        for (String o : outputs) {
          List<String> rows = given.containsKey(o) ? given.get(o)
              : o.equals("cell") ? List.of("s" + in.get(BatchLayout.STATE).size()) : null;
          if (o.equals("penalty") || o.equals("logits")) {
            rows = given.get("cell").stream().map(r -> o + "(" + r + ")").toList();
          } else if (o.equals("x")) {
            rows = in.get(BatchLayout.TOKENS);
          }
          values.add(rows);
        }
        return values;
      }

      @Override
      public List<List<String>> split(List<String> x, int parts) {
        return x.stream().map(List::of).toList();
      }

      @Override
      public List<String> concat(List<List<String>> parts) {
        return parts.stream().flatMap(List::stream).toList();
      }
    }, List.of("t0", "t1", "t2"), List.of(), 3);
    assertEquals(3, out.activations().size(), "one row per step: " + out.activations());
    assertTrue(out.activations().stream().allMatch(r -> r.startsWith("penalty(")), out.activations().toString());
  }

  @Test
  void aPenalisedStateStaysInTheLoopAndIsCollectedPerStep() {
    GraphBuilder g = lm(4);
    g.op("penalty", new Op.ActivationPenalty(0, 1), "cell");
    g.op("logits", new Op.TiedDense(10, ParamKey.of("embedding"), ParamKey.of("b")), "penalty");
    SequencePlan plan = SequencePlan.of(g.output("logits").output("penalty").build()).orElseThrow();
    assertEquals("penalty", plan.penalised());
    assertTrue(plan.loop().contains("penalty") && plan.loopOut().contains("penalty"), plan.toString());
  }

  @Test
  void twoPenaltiesOrAPenaltyOnAnImageClassifierAreRefused() {
    GraphBuilder g = lm(4);
    g.op("p1", new Op.ActivationPenalty(1, 0), "cell");
    g.op("p2", new Op.ActivationPenalty(0, 1), "p1");
    g.op("logits", new Op.TiedDense(10, ParamKey.of("embedding"), ParamKey.of("b")), "p2");
    Graph two = g.output("logits").output("cell").build();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> BatchLayout.penalised(two));
    assertTrue(e.getMessage().contains("p1") && e.getMessage().contains("p2"), e.getMessage());

    GraphBuilder i = new GraphBuilder();
    i.input("in", BatchLayout.IMAGES, TensorShape.of(2, 2, 1));
    i.op("gap", new Op.GlobalAvgPool(), "in");
    i.op("penalty", new Op.ActivationPenalty(1, 0), "gap");
    i.op("logits", new Op.Dense(3, true, ParamKey.of("fc")), "penalty");
    Graph image = i.output("logits").build();
    dev.enas.api.dataset.Batch batch = new dev.enas.api.dataset.Batch.Images(1, TensorShape.of(2, 2, 1),
        new float[4], new int[] {0});
    IllegalArgumentException f = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> BatchLayout.of(image, batch));
    assertTrue(f.getMessage().contains("activation penalty"), f.getMessage());
  }

  @Test
  void anOpThatMixesRowsKeepsTheWholeGraphInTheLoop() {
    GraphBuilder g = lm(4);
    // Batch norm normalises over the batch: over all steps at once it would compute another function.
    g.op("bn", new Op.BatchNorm(ParamKey.of("bn")), "cell");
    g.op("logits", new Op.Dense(10, true, ParamKey.of("softmax")), "bn");
    assertTrue(SequencePlan.of(g.output("logits").output("cell").build()).isEmpty());
  }

  @Test
  void aGraphWithoutCarriedStateHasNoPlan() {
    GraphBuilder g = new GraphBuilder();
    g.input("tokens", BatchLayout.TOKENS, TensorShape.of(1));
    g.op("x", new Op.Embedding(10, 4, ParamKey.of("embedding")), "tokens");
    g.op("logits", new Op.Dense(10, true, ParamKey.of("softmax")), "x");
    Graph one = g.output("logits").build();
    assertTrue(SequencePlan.of(one).isEmpty());
  }

  @Test
  void givenNodesAreNotRecomputed() {
    GraphBuilder g = lm(4);
    g.op("logits", new Op.TiedDense(10, ParamKey.of("embedding"), ParamKey.of("b")), "cell");
    Graph graph = g.output("logits").output("cell").build();
    List<String> lowered = new java.util.ArrayList<>();
    List<String> out = GraphWalk.apply(graph, List.of("logits"), java.util.Map.of("cell", "given"),
        (op, in, shapes) -> {
          lowered.add(op.getClass().getSimpleName());
          return op.getClass().getSimpleName() + in;
        });
    assertEquals(List.of("TiedDense[given]"), out);
    assertEquals(List.of("TiedDense"), lowered, "nothing the given node alone reads");
  }
}
