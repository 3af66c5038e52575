package dev.enas.plugins.space.micro;

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

class MicroSchemaTest {

  @Test
  void fiveBlocksGiveTheAuthorsFortyTokens() {
    DecisionSchema s = MicroTestSpaces.search().schema();
    assertEquals(40, s.tokenCount());
    assertEquals(2, s.initialAnchors());
  }

  @Test
  void blocksFollowTheControllerConventions() {
    List<ChoicePoint> p = MicroTestSpaces.search().schema().points();
    assertEquals(new ChoicePoint.Input("normal/b0/x/input", List.of(0, 1), false, false), p.get(0));
    assertEquals(new ChoicePoint.Layer("normal/b0/x/op", MicroOp.labels(), "micro-ops", false), p.get(1));
    assertEquals(new ChoicePoint.Input("normal/b0/y/input", List.of(0, 1), false, false), p.get(2));
    assertEquals(new ChoicePoint.Layer("normal/b0/y/op", MicroOp.labels(), "micro-ops", true), p.get(3));
    assertEquals(new ChoicePoint.Input("normal/b2/x/input", List.of(0, 1, 2, 3), false, false), p.get(8));
    // The reduction cell's nodes 0 and 1 reuse anchors 0 and 1; its node 2+b is anchor 2+B+b.
    assertEquals(new ChoicePoint.Input("reduce/b0/x/input", List.of(0, 1), false, false), p.get(20));
    assertEquals(new ChoicePoint.Input("reduce/b3/y/input", List.of(0, 1, 7, 8, 9), false, false), p.get(34));
    assertEquals(5, ((ChoicePoint.Layer) p.get(1)).options().size());
  }

  @Test
  void everyChoiceNodeOfTheSupernetHasTheKeyOfAChoicePoint() {
    for (MicroSpace space : List.of(MicroTestSpaces.search(), MicroTestSpaces.fin())) {
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
  void sizeOfTwoBlocksMatchesCountingEveryCellThatParses() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder());
    String other = "0 0 0 0 0 0 0 0";
    // Enumerate every cell by the paper's rule (block b reads two of nodes 0..b+1 and applies one of 5 ops to
    // each), once as the normal cell and once as the reduction cell; each must parse.
    long normal = 0;
    long reduce = 0;
    for (int n = 0; n < 2 * 5 * 2 * 5 * 3 * 5 * 3 * 5; n++) {
      int v = n;
      StringBuilder cell = new StringBuilder();
      for (int slot = 0; slot < 4; slot++) {
        int nodes = slot < 2 ? 2 : 3;
        cell.append(v % nodes).append(' ').append(v / nodes % 5).append(' ');
        v /= nodes * 5;
      }
      normal += accepts(space, cell + other);
      reduce += accepts(space, other + " " + cell);
    }
    assertEquals(22500, normal);
    assertEquals(22500, reduce);
    assertEquals(BigInteger.valueOf(normal * reduce), space.schema().size());
    // And nothing outside the rule parses: every token one past its range, or negative, is refused.
    int[] ranges = {2, 5, 2, 5, 3, 5, 3, 5};
    for (int pos = 0; pos < 16; pos++) {
      for (int bad : new int[] {-1, ranges[pos % 8]}) {
        String[] t = (other + " " + other).split(" ");
        t[pos] = Integer.toString(bad);
        assertEquals(0, accepts(space, String.join(" ", t)), "token " + pos + " = " + bad);
      }
    }
  }

  private static int accepts(MicroSpace space, String text) {
    try {
      space.parse(text);
      return 1;
    } catch (ArchitectureFormatException e) {
      return 0;
    }
  }
}
