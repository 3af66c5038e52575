package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.schema.ArchitectureFormatException;
import org.junit.jupiter.api.Test;

class MacroArchitectureErrorsTest {
  private final MacroSpace space = MacroTestSpaces.layers(3);

  private ArchitectureFormatException error(String text) {
    return assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
  }

  @Test
  void tooShortNamesTheFirstMissingToken() {
    ArchitectureFormatException e = error("0 1 0 3 1");
    assertEquals(5, e.position());
    assertTrue(e.getMessage().contains("expected 6 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("token 5 (layer 2 skip bit 1, from layer 0)"), e.getMessage());
  }

  @Test
  void tooLongNamesTheFirstExtraToken() {
    ArchitectureFormatException e = error("0 1 0 3 1 0 4");
    assertEquals(6, e.position());
    assertTrue(e.getMessage().contains("got 7"), e.getMessage());
    assertTrue(e.getMessage().contains("token 6 ('4') is one too many"), e.getMessage());
  }

  @Test
  void opIdOutOfRangeNamesTheLayerAndTheOps() {
    ArchitectureFormatException e = error("0 6 0 3 1 0");
    assertEquals(1, e.position());
    assertEquals("token 1 (layer 1 op id) is 6, allowed 0..5 (0 conv 3x3, 1 sep 3x3, 2 conv 5x5, 3 sep 5x5, "
        + "4 avg pool 3x3, 5 max pool 3x3)", e.getMessage());
  }

  @Test
  void skipBitOtherThanZeroOrOneIsRefused() {
    ArchitectureFormatException e = error("0 1 0 3 2 0");
    assertEquals(4, e.position());
    assertTrue(e.getMessage().startsWith("token 4 (layer 2 skip bit 0, from stem) is 2, allowed 0..1"), e.getMessage());
  }

  @Test
  void negativeValueIsRefused() {
    ArchitectureFormatException e = error("-1 1 0 3 1 0");
    assertEquals(0, e.position());
    assertTrue(e.getMessage().startsWith("token 0 (layer 0 op id) is -1, allowed 0..5"), e.getMessage());
  }

  @Test
  void somethingNotANumberIsNamed() {
    ArchitectureFormatException e = error("0 1 0 conv 1 0");
    assertEquals(3, e.position());
    assertEquals("token 3 (layer 2 op id) is 'conv', which is not a number", e.getMessage());
  }

  @Test
  void emptyStringSaysWhatIsExpected() {
    ArchitectureFormatException e = error("  ");
    assertEquals(0, e.position());
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void onlyAsciiDigitsWithoutSignOrLeadingZerosAreTokens() {
    for (String bad : new String[] {"\u0663", "+3", "-0", "03"}) {
      ArchitectureFormatException e = error(bad + " 1 0 3 1 0");
      assertTrue(e.getMessage().startsWith("token 0 (layer 0 op id) is '" + bad + "', which "), e.getMessage());
    }
  }
}
