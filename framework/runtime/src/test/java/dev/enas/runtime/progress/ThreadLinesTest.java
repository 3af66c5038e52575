package dev.enas.runtime.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sweep's trials run side by side: each thread's progress lines reach its own sink, and none other's. */
class ThreadLinesTest {
  @Test
  void progressLinesGoToTheSinkOfTheirOwnThreadOnly() throws Exception {
    List<String> mine = new ArrayList<>();
    List<String> theirs = new ArrayList<>();
    ThreadLines.set(mine::add);
    try {
      Thread other = new Thread(() -> {
        ThreadLines.set(theirs::add);
        try (Progress p = new LogProgress("other", 2, 1)) {
          p.step("b");
          p.step("b");
        } finally {
          ThreadLines.clear();
        }
      });
      other.start();
      try (Progress p = new LogProgress("train epoch 1/1", 4, 2)) {
        for (int i = 0; i < 4; i++) {
          p.step("loss 1.000");
        }
      }
      other.join();
    } finally {
      ThreadLines.clear();
    }
    assertEquals(2, mine.size(), mine.toString());
    assertTrue(mine.get(0).startsWith("train epoch 1/1 2/4  loss 1.000"), mine.get(0));
    assertTrue(mine.get(1).startsWith("train epoch 1/1 4/4"), mine.get(1));
    assertTrue(theirs.stream().allMatch(l -> l.startsWith("other ")) && !theirs.isEmpty(), theirs.toString());
    ThreadLines.emit("after clear: nowhere");
    assertEquals(2, mine.size());
  }
}
