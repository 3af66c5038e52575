package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.schema.ArchitectureFormatException;
import org.junit.jupiter.api.Test;

class MicroArchitectureErrorsTest {
  private final MicroSpace space = MicroTestSpaces.search();

  private ArchitectureFormatException error(String text) {
    return assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
  }

  @Test
  void indexThatPointsForwardSaysSo() {
    // Normal cell block 1 (node 3) reads node 3: itself.
    ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED.replaceFirst("^0 2 0 0  0", "0 2 0 0  3"));
    assertEquals(4, e.position());
    assertEquals("token 4 (normal cell block 1 input x) is 3, allowed 0..2: it points forward, at node 3, but block 1 "
        + "computes node 3 and can read only nodes 0..2", e.getMessage());
  }

  @Test
  void opIdOutOfRangeNamesTheOps() {
    String bad = MicroTestSpaces.PUBLISHED_NORMAL + " 1 0 1 5  0 3 0 2  1 1 3 1  1 0 0 4  0 3 1 1";
    ArchitectureFormatException e = error(bad);
    assertEquals(23, e.position());
    assertEquals("token 23 (reduction cell block 0 op y) is 5, allowed 0..4 (0 sep 3x3, 1 sep 5x5, 2 avg 3x3, "
        + "3 max 3x3, 4 identity)", e.getMessage());
  }

  @Test
  void normalCellAloneIsTooShort() {
    ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED_NORMAL);
    assertEquals(20, e.position());
    assertTrue(e.getMessage().startsWith("expected 40 tokens ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("got 20: the string ends before token 20 (reduction cell block 0 input x)"),
        e.getMessage());
  }

  @Test
  void somethingNotANumberIsNamed() {
    ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED.replaceFirst("^0 2", "0 avg"));
    assertEquals(1, e.position());
    assertEquals("token 1 (normal cell block 0 op x) is 'avg', which is not a number", e.getMessage());
  }

  @Test
  void negativeIndexIsRefused() {
    ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED.replaceFirst("^0", "-1"));
    assertEquals("token 0 (normal cell block 0 input x) is -1, allowed 0..1 (a node index)", e.getMessage());
  }

  @Test
  void onlyAsciiDigitsWithoutSignOrLeadingZerosAreTokens() {
    for (String bad : new String[] {"\u0660", "+0", "-0", "00"}) {
      ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED.replaceFirst("^0", bad));
      assertTrue(e.getMessage().startsWith("token 0 (normal cell block 0 input x) is '" + bad + "', which "), e.getMessage());
    }
    ArchitectureFormatException e = error(MicroTestSpaces.PUBLISHED.replaceFirst("^0", "1".repeat(100)));
    assertTrue(e.getMessage().startsWith("token 0 (normal cell block 0 input x) is " + "1".repeat(40)
        + "... (100 characters), allowed 0..1"), e.getMessage());
  }
}
