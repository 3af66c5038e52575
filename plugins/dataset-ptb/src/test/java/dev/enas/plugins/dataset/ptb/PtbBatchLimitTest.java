package dev.enas.plugins.dataset.ptb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maxBatchSize, what the validation pass checks batch sizes against, is exactly the largest batch a split gives. */
class PtbBatchLimitTest {
  @TempDir
  Path dir;

  @Test
  void theLargestBatchIsOneSequenceOfStepsPlusOneTokensPerRow() throws Exception {
    // 9 words and <eos> per line: train 100 tokens, valid 30, test 20.
    String line = "a b c d e f g h i\n";
    Files.writeString(dir.resolve("ptb.train.txt"), line.repeat(10));
    Files.writeString(dir.resolve("ptb.valid.txt"), line.repeat(3));
    Files.writeString(dir.resolve("ptb.test.txt"), line.repeat(2));
    Dataset d = new PtbProvider().create(PtbOptions.newBuilder().setPath(dir.toString()).setSteps(4).build(), 1);
    assertEquals(100, d.size(Split.TRAIN));
    for (Split s : Split.values()) {
      long max = d.maxBatchSize(s);
      assertEquals(d.size(s) / 5, max, s.toString());
      assertEquals((int) max, d.batch(s, 0, (int) max, false).size());
      assertThrows(IllegalArgumentException.class, () -> d.batch(s, 0, (int) max + 1, false), s.toString());
    }
  }
}
