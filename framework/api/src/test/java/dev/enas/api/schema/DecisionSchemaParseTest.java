package dev.enas.api.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default architecture parser that third-party spaces inherit ({@link DecisionSchema#parse}) accepts exactly the
 * authors' format: ASCII digits, no sign, no leading zeros.
 */
class DecisionSchemaParseTest {
  /** An op out of 12, then an input out of 2 anchors. */
  private static final DecisionSchema SCHEMA = new DecisionSchema(List.of(
      new ChoicePoint.Layer("op", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"), "ops", true),
      new ChoicePoint.Input("in", List.of(0, 1), false, true)), 2);

  private static String refused(String text) {
    return assertThrows(ArchitectureFormatException.class, () -> SCHEMA.parse(text)).getMessage();
  }

  @Test
  void acceptsTheAuthorsFormatWithSpacesOrCommas() {
    assertArrayEquals(new int[] {11, 0}, SCHEMA.parse(" 11 0 ").tokens());
    assertArrayEquals(new int[] {0, 1}, SCHEMA.parse("0,1").tokens());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0663 0", "\u0661\u0660 0", "1 \uff11", "\u09e7 0"})
  void refusesNonAsciiDigits(String text) {
    String m = refused(text);
    assertTrue(m.contains("which is not written with the ASCII digits 0-9"), m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+1 0", "-0 0", "1 +0", "-00 1"})
  void refusesASign(String text) {
    String m = refused(text);
    assertTrue(m.contains("which has a sign"), m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"00 1", "01 1", "1 00", "007 0"})
  void refusesLeadingZeros(String text) {
    String m = refused(text);
    assertTrue(m.contains("which has a leading zero"), m);
  }

  @Test
  void messagesNameThePositionAndWhatTheTokenIs() {
    assertEquals("token 0 (op op id) is '+1', which has a sign; write a token as a plain number (0, 1, 2, ...)",
        refused("+1 0"));
    assertEquals("token 1 (in input index) is '\u0663', which is not written with the ASCII digits 0-9",
        refused("1 \u0663"));
    assertEquals("token 0 (op op id) is 'x', which is not a number", refused("x 0"));
  }

  @Test
  void negativeAndHugeNumbersGetTheAllowedRange() {
    assertEquals("token 1 (in input index) is -1, allowed 0..1", refused("3 -1"));
    assertEquals("token 0 (op op id) is 99999999999999999999, allowed 0..11", refused("99999999999999999999 0"));
    assertEquals("token 0 (op op id) is 2147483648, allowed 0..11", refused("2147483648 0"));
  }

  @Test
  void aHugeTokenIsEchoedCutToFortyCharacters() {
    String huge = "x".repeat(100);
    String m = refused(huge + " 0");
    assertEquals("token 0 (op op id) is '" + "x".repeat(40) + "...' (100 characters), which is not a number", m);
    String digits = "7".repeat(100);
    m = refused(digits + " 0");
    assertEquals("token 0 (op op id) is " + "7".repeat(40) + "... (100 characters), allowed 0..11", m);
    m = refused("1 0 " + huge);
    assertTrue(m.contains("'" + "x".repeat(40) + "...' (100 characters)") && !m.contains("x".repeat(41)), m);
  }

  @Test
  void theCountIsChecked() {
    assertTrue(refused("1").contains("expected 2 tokens, got 1"), refused("1"));
    assertTrue(refused("").contains("expected 2 tokens, got 0"), refused(""));
  }

  @Test
  void quoteNeverSplitsASurrogatePair() {
    String s = "a".repeat(39) + "\ud83d\ude00" + "b".repeat(10);
    String q = ArchitectureTokens.quote(s);
    assertEquals("'" + "a".repeat(39) + "...' (51 characters)", q);
  }
}
