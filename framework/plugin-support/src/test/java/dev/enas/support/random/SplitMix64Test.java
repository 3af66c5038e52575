package dev.enas.support.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

  @Test
  void firstOutputForSeedZeroIsTheReferenceValue() {
    // The first output of the reference SplitMix64 (Steele, Lea and Flood) seeded with 0.
    assertEquals(0xe220a8397b1dcdafL, new SplitMix64(0).nextLong());
  }

  @Test
  void mixIsTheFirstOutputOfAGeneratorInThatState() {
    for (long s : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
      assertEquals(new SplitMix64(s).nextLong(), SplitMix64.mix(s), "state " + s);
    }
    assertNotEquals(SplitMix64.mix(1), SplitMix64.mix(2));
  }

  @Test
  void restoredStateReplaysTheStream() {
    SplitMix64 a = new SplitMix64(7);
    a.nextLong();
    SplitMix64 b = new SplitMix64(0);
    b.setState(a.state());
    assertEquals(a.nextLong(), b.nextLong());
    assertEquals(a.nextDouble(), b.nextDouble());
  }

  @Test
  void doublesLieInTheUnitInterval() {
    SplitMix64 r = new SplitMix64(3);
    for (int i = 0; i < 1000; i++) {
      double d = r.nextDouble();
      assertTrue(d >= 0 && d < 1, "got " + d);
    }
  }
}
