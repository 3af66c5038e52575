package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.schema.ArchitectureFormatException;
import org.junit.jupiter.api.Test;

class RnnArchitectureErrorsTest {

  private static ArchitectureFormatException error(RnnSpace space, String text) {
    return assertThrows(ArchitectureFormatException.class, () -> space.parse(text));
  }

  @Test
  void indexThatPointsForwardSaysSo() {
    ArchitectureFormatException e = error(RnnTestSpaces.fin(), "0 2 1 0 3 1 2 2 4 0 5 0 3 2 6 2");
    assertEquals(4, e.position());
    assertEquals("token 4 (node 3 input) is 3, allowed 0..2: it points forward, at node 3, but node 3 can read only "
        + "nodes 0..2", e.getMessage());
  }

  @Test
  void activationOutOfRangeNamesTheActivationsOfTheFormat() {
    ArchitectureFormatException lm = error(RnnTestSpaces.fin(), "0 4 1 0 2 1 2 2 4 0 5 0 3 2 6 2");
    assertEquals("token 1 (node 1 activation) is 4, allowed 0..3 (0 tanh, 1 ReLU, 2 sigmoid, 3 identity)",
        lm.getMessage());
    ArchitectureFormatException old = error(RnnTestSpaces.old(), "4 0 0 1 1 2 1 2 0 2 0 5 1 1 0 6 1 8 1 8 1 8 1");
    assertEquals("token 0 (node 0 activation) is 4, allowed 0..3 (0 tanh, 1 ReLU, 2 identity, 3 sigmoid)",
        old.getMessage());
  }

  @Test
  void enasLmStringInTheOldFormatHasTheWrongLength() {
    ArchitectureFormatException e = error(RnnTestSpaces.old(), RnnTestSpaces.ENAS_LM_PUBLISHED);
    assertEquals(16, e.position());
    assertTrue(e.getMessage().startsWith("expected 23 tokens (an old-format cell of 12 nodes is node 0's activation"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("got 16: the string ends before token 16 (node 8 activation)"), e.getMessage());
  }

  @Test
  void somethingNotANumberIsNamed() {
    ArchitectureFormatException e = error(RnnTestSpaces.fin(), "0 2 1 tanh 2 1 2 2 4 0 5 0 3 2 6 2");
    assertEquals("token 3 (node 2 activation) is 'tanh', which is not a number", e.getMessage());
  }

  @Test
  void onlyAsciiDigitsWithoutSignOrLeadingZerosAreTokens() {
    for (String bad : new String[] {"\u0662", "+2", "-0", "02"}) {
      ArchitectureFormatException e = error(RnnTestSpaces.fin(), "0 2 1 " + bad + " 2 1 2 2 4 0 5 0 3 2 6 2");
      assertTrue(e.getMessage().startsWith("token 3 (node 2 activation) is '" + bad + "', which "), e.getMessage());
    }
  }
}
