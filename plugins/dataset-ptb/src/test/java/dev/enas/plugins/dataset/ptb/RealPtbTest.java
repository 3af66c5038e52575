package dev.enas.plugins.dataset.ptb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reads the exact Penn Treebank files the project keeps for tests and CI ({@code ../shared/data/ptb} beside the
 * repository); skipped where they are not.
 */
class RealPtbTest {
  static final Path PTB = Path.of(System.getProperty("enas.shared.data", "../../../shared/data")).resolve("ptb");

  @Test
  void readsPennTreebankWithItsPublishedCounts() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    TokenDataset d = (TokenDataset) new PtbProvider().create(PtbOptions.newBuilder().setPath(PTB.toString()).build(), 1);
    assertEquals(10_000, d.classes(), "Mikolov's vocabulary");
    assertEquals(929_589, d.size(Split.TRAIN));
    assertEquals(73_760, d.size(Split.VALID));
    assertEquals(82_430, d.size(Split.TEST));
    Batch.Tokens b = d.batch(Split.TRAIN, 0, 64, false);
    assertEquals(64 * 35, b.inputs().length);
    assertEquals("aer", d.word(b.inputs()[0]), "the first word of ptb.train.txt");
  }
}
