package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Memory stays flat while thousands of new children are compiled and evicted; runs only with {@code -Psoak}. */
@Tag("soak")
class SoakTest {

  @Test
  void residentMemoryStaysFlatOverTwoThousandNewChildren() {
    BackendBenchmark.SoakResult r = BackendBenchmark.soak(2000, 64);
    System.out.println(r);
    assertTrue(r.flat(), r.toString());
  }
}
