package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat over thousands of new children, compiled and evicted one by one or run on one supernet graph;
 * runs with {@code -Psoak} (as {@code scripts/test.sh} and CI do).
 */
@Tag("soak")
class SoakTest {

  @Test
  void residentMemoryStaysFlatOverTwoThousandNewChildren() {
    BackendBenchmark.SoakResult r = BackendBenchmark.soak(2000, 64);
    System.out.println(r);
    assertTrue(r.flat(), r.toString());
  }

  @Test
  void residentMemoryStaysFlatOverTwoThousandChildrenOnOneSupernetGraph() {
    BackendBenchmark.SoakResult r = BackendBenchmark.soakOnOneSupernetGraph(2000, 64);
    System.out.println(r);
    assertTrue(r.flat(), r.toString());
  }
}
