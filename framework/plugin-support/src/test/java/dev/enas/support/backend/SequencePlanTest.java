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
