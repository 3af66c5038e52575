package dev.enas.plugins.dataset.ptb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.plugin.OptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enas_lm's random BPTT lengths on training windows, their learning-rate scale, and the options' checks. */
class RandomLengthTest {
  @TempDir
  Path dir;

  /** A training split of {@code words} distinct words (each once), so a token id says where in the stream it is. */
  private Dataset open(int words, long seed, PtbOptions.Builder o) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      text.append(" w").append(i);
    }
    Files.writeString(dir.resolve("ptb.train.txt"), text + "\n");
    Files.writeString(dir.resolve("ptb.valid.txt"), text + "\n");
    Files.writeString(dir.resolve("ptb.test.txt"), text + "\n");
    return new PtbProvider().create(o.setPath(dir.toString()).build(), seed);
  }

  private static PtbOptions.Builder random() {
    return PtbOptions.newBuilder().setSteps(35).setRandomLength(true);
  }

  /** Windows 0..n-1 of the training split at batch size 4. */
  private static List<Batch.Tokens> windows(Dataset d, int n) {
    List<Batch.Tokens> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add((Batch.Tokens) d.batch(Split.TRAIN, i, 4, true));
    }
    return out;
  }

  @Test
  void lengthsFollowEnasLmAndWindowsTileEachRowPassAfterPass() throws Exception {
    Dataset d = open(40_000, 7, random());
    // 40,001 tokens (the words and <eos>) in 4 rows of 10,000: about 290 windows per pass.
    List<Batch.Tokens> w = windows(d, 1500);
    Map<Integer, Integer> histogram = new TreeMap<>();
    int passes = 0;
    double sum = 0;
    for (int i = 0; i < w.size(); i++) {
      Batch.Tokens b = w.get(i);
      histogram.merge(b.steps(), 1, Integer::sum);
      sum += b.steps();
      assertTrue(b.steps() >= 1 && b.steps() <= 55, "length " + b.steps() + " (at most steps + 20)");
      assertEquals((double) b.steps() / 35, d.learningRateScale(b), 1e-12);
      if (!b.continues()) {
        passes++;
        assertEquals(b.inputs()[0], w.get(0).inputs()[0], "a pass starts at the rows' beginning");
      } else {
        // Each row goes on where the previous window left it: its first input is the previous last target.
        Batch.Tokens prev = w.get(i - 1);
        for (int r = 0; r < 4; r++) {
          assertEquals(prev.targets()[r * prev.steps() + prev.steps() - 1], b.inputs()[r * b.steps()],
              "row " + r + " of window " + i);
        }
      }
    }
    assertTrue(passes >= 4, "passes started: " + passes);
    // Mean 0.95 * 35 + 0.05 * 17.5 = 34.1 (the pass ends cut a few short); nearly all within 25..45 or 7..27.
    assertEquals(34.1, sum / w.size(), 0.8);
    long far = histogram.entrySet().stream().filter(e -> e.getKey() > 45 || e.getKey() < 7)
        .mapToLong(Map.Entry::getValue).sum();
    assertTrue(far <= passes, "lengths beyond 2 sd of either mean (only a pass's last may be): " + histogram);
    assertTrue(histogram.keySet().stream().anyMatch(l -> l < 25), "the short windows (5%) are there: " + histogram);
  }

  @Test
  void theSameSeedReadsTheSameWindowsAndAnotherSeedOthers() throws Exception {
    List<Integer> a = windows(open(20_000, 7, random()), 300).stream().map(Batch.Tokens::steps).toList();
    List<Integer> b = windows(open(20_000, 7, random()), 300).stream().map(Batch.Tokens::steps).toList();
    List<Integer> c = windows(open(20_000, 8, random()), 300).stream().map(Batch.Tokens::steps).toList();
    assertEquals(a, b);
    assertNotEquals(a, c);
    // Random access: window 250 read alone (a resumed run) is the one read in sequence.
    Dataset fresh = open(20_000, 7, random());
    assertEquals(a.get(250), ((Batch.Tokens) fresh.batch(Split.TRAIN, 250, 4, true)).steps());
  }

  @Test
  void aMultipleRoundsLengthsAndEvaluationWindowsStayFixed() throws Exception {
    Dataset d = open(40_000, 3, random().setLengthMultiple(5));
    List<Batch.Tokens> w = windows(d, 601);
    java.util.Set<Integer> lengths = new java.util.TreeSet<>();
    for (int i = 0; i < 600; i++) {
      boolean lastOfPass = !w.get(i + 1).continues();
      if (!lastOfPass) {
        assertEquals(0, w.get(i).steps() % 5, "window " + i + ": " + w.get(i).steps());
        lengths.add(w.get(i).steps());
      }
    }
    assertTrue(lengths.size() <= 11, "lengths " + lengths);
    for (int i = 0; i < 20; i++) {
      Batch.Tokens v = (Batch.Tokens) d.batch(Split.VALID, i, 4, false);
      assertEquals(35, v.steps());
      assertEquals(1.0, d.learningRateScale(v));
    }
  }

  @Test
  void fixedWindowsKeepTheirLengthAndScaleOne() throws Exception {
    Dataset d = open(5_000, 7, PtbOptions.newBuilder().setSteps(35));
    for (Batch.Tokens b : windows(d, 50)) {
      assertEquals(35, b.steps());
      assertEquals(1.0, d.learningRateScale(b));
    }
  }

  @Test
  void badMultiplesAreRefusedNamingTheOption() throws Exception {
    OptionException zero = assertThrows(OptionException.class,
        () -> open(100, 1, random().setLengthMultiple(0)));
    assertEquals("length_multiple", zero.option());
    OptionException alone = assertThrows(OptionException.class,
        () -> open(100, 1, PtbOptions.newBuilder().setLengthMultiple(5)));
    assertTrue(alone.getMessage().contains("random_length"), alone.getMessage());
    OptionException big = assertThrows(OptionException.class,
        () -> open(100, 1, random().setSteps(10).setLengthMultiple(20)));
    assertFalse(big.getMessage().isEmpty());
  }
}
