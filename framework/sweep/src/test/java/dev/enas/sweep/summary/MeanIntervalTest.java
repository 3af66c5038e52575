package dev.enas.sweep.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeanIntervalTest {
  @Test
  void meanAndStudentTHalfWidth() {
    MeanInterval m = MeanInterval.of(List.of(1.0, 2.0, 3.0, 4.0));
    assertEquals(4, m.n());
    assertEquals(2.5, m.mean(), 1e-12);
    // s = sqrt(5/3), t(0.975, 3) = 3.1824: 3.1824 * 1.29099 / 2
    assertEquals(2.0542, m.halfWidth(), 1e-3);
  }

  @Test
  void oneValueHasNoInterval() {
    MeanInterval m = MeanInterval.of(List.of(0.7));
    assertEquals(0.7, m.mean(), 1e-12);
    assertTrue(Double.isNaN(m.halfWidth()));
    assertTrue(Double.isNaN(MeanInterval.of(List.of()).mean()));
  }

  @Test
  void quantilesMatchTablesBeyondThirtyDegrees() {
    assertEquals(12.706, MeanInterval.t975(1), 1e-3);
    assertEquals(2.042, MeanInterval.t975(30), 1e-3);
    assertEquals(2.021, MeanInterval.t975(40), 1e-3);
    assertEquals(2.000, MeanInterval.t975(60), 1e-3);
    assertEquals(1.984, MeanInterval.t975(100), 1e-3);
    assertEquals(1.962, MeanInterval.t975(1000), 1e-3);
  }
}
