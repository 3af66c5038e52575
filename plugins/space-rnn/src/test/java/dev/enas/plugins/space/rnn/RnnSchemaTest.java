package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.enas.api.ir.Node;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RnnSchemaTest {
  private static final List<String> LM_ORDER = List.of("tanh", "ReLU", "sigmoid", "identity");
  private static final List<String> OLD_ORDER = List.of("tanh", "ReLU", "identity", "sigmoid");

  @Test
  void enasLmFormatIsOnePairPerNodeAfterNodeZero() {
    DecisionSchema s = RnnTestSpaces.fin().schema();
    assertEquals(16, s.tokenCount());
    assertEquals(1, s.initialAnchors());
    assertEquals(new ChoicePoint.Input("node1/input", List.of(0), false, false), s.points().get(0));
    assertEquals(new ChoicePoint.Layer("node1/act", LM_ORDER, "rnn-acts", true), s.points().get(1));
    assertEquals(new ChoicePoint.Input("node3/input", List.of(0, 1, 2), false, false), s.points().get(4));
    assertEquals(18, RnnTestSpaces.search().schema().tokenCount());
  }

  @Test
  void oldFormatIsTwentyThreeTokensForTwelveNodes() {
    DecisionSchema s = RnnTestSpaces.old().schema();
    assertEquals(23, s.tokenCount());
    assertEquals(0, s.initialAnchors());
    assertEquals(new ChoicePoint.Layer("node0/act", OLD_ORDER, "rnn-acts", true), s.points().get(0));
    assertEquals(new ChoicePoint.Input("node1/input", List.of(0), false, false), s.points().get(1));
    assertEquals(new ChoicePoint.Layer("node11/act", OLD_ORDER, "rnn-acts", true), s.points().get(22));
  }

  @Test
  void everyChoiceNodeOfTheSupernetHasTheKeyOfAChoicePoint() {
    for (RnnSpace space : List.of(RnnTestSpaces.search(), RnnTestSpaces.old())) {
      Set<String> keys = new HashSet<>();
      space.schema().points().forEach(p -> keys.add(p.key()));
      Set<String> nodeKeys = new HashSet<>();
      for (Node n : space.supernet().nodes()) {
        if (n instanceof Node.LayerChoice c) {
          nodeKeys.add(c.key());
        } else if (n instanceof Node.InputChoice c) {
          nodeKeys.add(c.key());
        }
      }
      assertEquals(keys, nodeKeys);
    }
  }

  @Test
  void sizeOfThreeNodesMatchesCountingEveryStringThatParses() {
    RnnSpace lm = RnnTestSpaces.small(3, RnnSpaceOptions.newBuilder());
    assertEquals(BigInteger.valueOf(count(lm)), lm.schema().size());
    assertEquals(BigInteger.valueOf((1 * 4) * (2 * 4) * (3 * 4)), lm.schema().size());
    RnnSpace old = RnnTestSpaces.small(3, RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF));
    assertEquals(BigInteger.valueOf(count(old)), old.schema().size());
    assertEquals(BigInteger.valueOf(4 * (1 * 4) * (2 * 4)), old.schema().size());
  }

  /** Counts the strings the space accepts among all strings of 0..4 (one past the widest range). */
  private static long count(RnnSpace space) {
    int tokens = space.schema().tokenCount();
    long accepted = 0;
    for (int n = 0; n < Math.pow(5, tokens); n++) {
      StringBuilder text = new StringBuilder();
      int v = n;
      for (int i = 0; i < tokens; i++) {
        text.append(v % 5).append(' ');
        v /= 5;
      }
      try {
        space.parse(text.toString());
        accepted++;
      } catch (ArchitectureFormatException e) {
        // refused: not counted
      }
    }
    return accepted;
  }
}
