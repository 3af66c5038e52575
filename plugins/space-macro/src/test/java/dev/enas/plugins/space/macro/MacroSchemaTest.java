package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.enas.api.ir.Node;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.support.tokens.TokenText;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MacroSchemaTest {

  @Test
  void twentyFourLayersGiveTheAuthorsThreeHundredTokens() {
    DecisionSchema s = MacroTestSpaces.fin().schema();
    assertEquals(300, s.tokenCount());
    assertEquals(1, s.initialAnchors());
    assertEquals(24 + 23, s.points().size());
  }

  @Test
  void layersFollowTheControllerConventions() {
    List<ChoicePoint> p = MacroTestSpaces.layers(4).schema().points();
    assertEquals(new ChoicePoint.Layer("layer0/op", MacroOp.labels(), "macro-ops", true), p.get(0));
    assertEquals(new ChoicePoint.Layer("layer1/op", MacroOp.labels(), "macro-ops", false), p.get(1));
    assertEquals(new ChoicePoint.Input("layer1/skip", List.of(0), true, true), p.get(2));
    assertEquals(new ChoicePoint.Input("layer3/skip", List.of(0, 1, 2), true, true), p.get(6));
    assertEquals(6, ((ChoicePoint.Layer) p.get(0)).options().size());
  }

  @Test
  void everyChoiceNodeOfTheSupernetHasTheKeyOfAChoicePoint() {
    MacroSpace space = MacroTestSpaces.layers(5);
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

  @Test
  void sizeOfThreeLayersMatchesCountingEveryStringThatParses() {
    MacroSpace space = MacroTestSpaces.layers(3);
    int[] ranges = TokenText.ranges(space.schema());
    assertEquals(6, ranges.length);
    // Every string whose tokens run one past their allowed range: count the ones the space accepts.
    long accepted = 0;
    long all = 1;
    for (int r : ranges) {
      all *= r + 1;
    }
    for (long n = 0; n < all; n++) {
      long v = n;
      StringBuilder text = new StringBuilder();
      for (int r : ranges) {
        text.append(v % (r + 1)).append(' ');
        v /= r + 1;
      }
      try {
        space.parse(text.toString());
        accepted++;
      } catch (ArchitectureFormatException e) {
        assertFalse(e.getMessage().isEmpty());
      }
    }
    assertEquals(6L * (6 * 2) * (6 * 4), accepted);
    assertEquals(BigInteger.valueOf(accepted), space.schema().size());
  }

  @Test
  void twelveLayersGiveSixToTheTwelveTimesTwoToTheSixtySixArchitectures() {
    // 6^12 op choices times one bit for each of the 66 possible skips (about 1.6e29).
    BigInteger expected = BigInteger.valueOf(6).pow(12).multiply(BigInteger.TWO.pow(66));
    assertEquals(expected, MacroTestSpaces.search().schema().size());
  }
}
