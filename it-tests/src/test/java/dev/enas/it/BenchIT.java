package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code enas bench backend} through the distribution: an image space and a language model, tiny settings. */
class BenchIT {
  @TempDir
  static Path tmp;

  static Distribution dist;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
  }

  @Test
  void benchesAMicroChildOnOneSupernetGraphAndPerChild() throws Exception {
    String tiny = "num_blocks: 2 num_cells: 1 channels: 4 image_height: 8 image_width: 8 image_channels: 1";
    Distribution.Result r = dist.run(tmp, 300, "bench", "backend", "--space", "enas-micro", "--space-options", tiny,
        "--batch", "4", "--steps", "2", "--warmup", "1");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("search children on one supernet graph"), r.toString());
    assertTrue(r.out().matches("(?s).*new-child overhead +-?[0-9.]+% of the child's own step.*"), r.toString());
    assertTrue(r.out().matches("(?s).*RSS +start \\d+ MiB, end \\d+ MiB, peak \\d+ MiB.*"), r.toString());

    Distribution.Result p = dist.run(tmp, 300, "bench", "backend", "--space", "enas-micro", "--space-options", tiny,
        "--batch", "4", "--steps", "2", "--warmup", "1", "--backend-options", "execution: PER_CHILD");
    assertEquals(0, p.exitCode(), p.toString());
    assertTrue(p.out().contains("a graph per child"), p.toString());
  }

  @Test
  void benchesALanguageModelOnRandomSequences() throws Exception {
    Distribution.Result r = dist.run(tmp, 300, "bench", "backend", "--space", "enas-rnn", "--space-options",
        "num_nodes: 2 hidden_size: 8 vocab_size: 50", "--batch", "4", "--steps", "2", "--warmup", "1");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().matches("(?s).*one child repeated +[0-9.]+ ms/step .* examples/s .*"), r.toString());
  }

  @Test
  void badNumbersAndUnknownOptionsAreUsageErrors() throws Exception {
    Distribution.Result r = dist.run(tmp, 120, "bench", "backend", "--space", "enas-micro", "--batch", "0");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--batch and --steps must be positive"), r.toString());
    Distribution.Result o = dist.run(tmp, 120, "bench", "backend", "--space", "enas-micro", "--backend-options",
        "execution: SOMETIMES");
    assertEquals(2, o.exitCode(), o.toString());
    assertTrue(o.err().contains("--backend-options"), o.toString());
  }
}
