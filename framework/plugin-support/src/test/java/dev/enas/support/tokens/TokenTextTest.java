package dev.enas.support.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenTextTest {
  /** An op out of 3, then a skip bit for each of 2 earlier outputs. */
  private static final DecisionSchema SCHEMA = new DecisionSchema(List.of(
      new ChoicePoint.Layer("op", List.of("a", "b", "c"), "ops", true),
      new ChoicePoint.Input("skip", List.of(0, 1), true, true)), 2);

  private static final TokenText.Positions POSITIONS = new TokenText.Positions() {
    @Override
    public String where(int position) {
      return position == 0 ? "the op" : "skip bit " + (position - 1);
    }

    @Override
    public String hint(int position, int value) {
      return position == 0 ? " (0 a, 1 b, 2 c)" : "";
    }
  };

  private static ArchitectureFormatException refused(String text) {
    return assertThrows(ArchitectureFormatException.class,
        () -> TokenText.parse(SCHEMA, text, "op then 2 skip bits", POSITIONS));
  }

  @Test
  void rangesAreTheExclusiveBoundOfEveryToken() {
    assertArrayEquals(new int[] {3, 2, 2}, TokenText.ranges(SCHEMA));
  }

  @Test
  void spacesAndCommasBothSeparateTokens() {
    Architecture a = TokenText.parse(SCHEMA, " 2 1,0 ", "op then 2 skip bits", POSITIONS);
    assertEquals(SCHEMA.fromTokens(new int[] {2, 1, 0}), a);
  }

  @Test
  void tooFewTokensNameTheMissingOne() {
    String m = refused("1 0").getMessage();
    assertTrue(m.contains("expected 3 tokens (op then 2 skip bits), got 2") && m.contains("skip bit 1"), m);
  }

  @Test
  void tooManyTokensQuoteTheFirstExtra() {
    String m = refused("1 0 1 7").getMessage();
    assertTrue(m.contains("token 3 ('7') is one too many"), m);
  }

  @Test
  void nonNumbersAndOutOfRangeValuesNameThePositionAndTheAllowedValues() {
    String word = refused("x 0 1").getMessage();
    assertTrue(word.contains("token 0 (the op) is 'x', which is not a number"), word);
    String range = refused("3 0 1").getMessage();
    assertTrue(range.contains("token 0 (the op) is 3, allowed 0..2 (0 a, 1 b, 2 c)"), range);
  }

  @Test
  void tokensAreAsciiDigitsWithoutSignOrLeadingZeros() {
    assertTrue(refused("\u0663 0 1").getMessage().contains("token 0 (the op) is '\u0663', which is not written with the "
        + "ASCII digits 0-9"));
    assertTrue(refused("1 +1 0").getMessage().contains("token 1 (skip bit 0) is '+1', which has a sign"));
    assertTrue(refused("1 -0 0").getMessage().contains("token 1 (skip bit 0) is '-0', which has a sign"));
    assertTrue(refused("1 0 00").getMessage().contains("token 2 (skip bit 1) is '00', which has a leading zero"));
  }

  @Test
  void hugeTokensAreEchoedCutToFortyCharacters() {
    String m = refused("1 0 " + "9".repeat(100)).getMessage();
    assertEquals("token 2 (skip bit 1) is " + "9".repeat(40) + "... (100 characters), allowed 0..1", m);
    m = refused("1 0 1 " + "z".repeat(100)).getMessage();
    assertTrue(m.endsWith("token 3 ('" + "z".repeat(40) + "...' (100 characters)) is one too many"), m);
  }
}
