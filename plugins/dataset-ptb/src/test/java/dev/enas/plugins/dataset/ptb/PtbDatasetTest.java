package dev.enas.plugins.dataset.ptb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.space.TaskKind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on small files written in Penn Treebank's format: plain and gzipped, good and bad. */
class PtbDatasetTest {
  @TempDir
  Path dir;

  private static final String TRAIN = " the cat sat \n the dog sat on the cat \n";

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  private void writeGz(String name, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private Dataset open(PtbOptions.Builder o) throws IOException {
    return new PtbProvider().create(o.setPath(dir.toString()).build(), 1);
  }

  @Test
  void readsTheThreeSplitsWithEosAtLineEndsAndTheTrainingVocabulary() throws Exception {
    write("ptb.train.txt", TRAIN);
    writeGz("ptb.valid.txt", " the dog sat \n");
    write("ptb.test.txt", " on the cat \n");
    TokenDataset d = (TokenDataset) open(PtbOptions.newBuilder().setSteps(2));
    assertEquals(TaskKind.LANGUAGE_MODEL, d.task());
    // <eos>, the, cat, sat, dog, on
    assertEquals(6, d.classes());
    assertEquals(11, d.size(Split.TRAIN));
    assertEquals(4, d.size(Split.VALID));
    assertEquals(4, d.size(Split.TEST));
    assertEquals("<eos>", d.word(0));
    assertEquals(64, d.digest().length());
  }

  @Test
  void batchesAreWindowsOfRowsWithTargetsOneTokenOn() throws Exception {
    // 0..12 as words: ids in order of first appearance, so word k has id k + 1 (id 0 is <eos>).
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 13; i++) {
      text.append(" w").append(i);
    }
    write("ptb.train.txt", text + "\n");
    write("ptb.valid.txt", " w1 \n");
    write("ptb.test.txt", " w2 \n");
    Dataset d = open(PtbOptions.newBuilder().setSteps(2));
    // 14 tokens (13 words and <eos>) in 2 rows of 7: row 0 = w0..w6, row 1 = w7..w12 <eos>; 3 windows of 2 steps.
    Batch.Tokens b = (Batch.Tokens) d.batch(Split.TRAIN, 1, 2, false);
    assertEquals(2, b.size());
    assertEquals(2, b.steps());
    assertArrayEquals(new int[] {3, 4, 10, 11}, b.inputs());
    assertArrayEquals(new int[] {4, 5, 11, 12}, b.targets());
    assertArrayEquals(((Batch.Tokens) d.batch(Split.TRAIN, 0, 2, false)).inputs(),
        ((Batch.Tokens) d.batch(Split.TRAIN, 3, 2, true)).inputs(), "after the last window the split starts over");
    assertEquals(3, d.batches(Split.TRAIN, 2), "one pass is 3 windows");
    assertFalse(((Batch.Tokens) d.batch(Split.TRAIN, 0, 2, false)).continues(), "a pass's first window starts rows");
    assertTrue(b.continues(), "window 1 continues window 0 row by row: a model may carry its state");
    assertFalse(((Batch.Tokens) d.batch(Split.TRAIN, 3, 2, false)).continues(), "the next pass starts over");
    assertNull(b.state(), "the dataset never sets a state; the host does");
    Dataset reset = open(PtbOptions.newBuilder().setSteps(2).setCarryState(false));
    assertFalse(((Batch.Tokens) reset.batch(Split.TRAIN, 1, 2, false)).continues(), "carry_state: false");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.batch(Split.TRAIN, 0, 7, false));
    assertTrue(e.getMessage().contains("too few for 7 sequences of 2 steps"), e.getMessage());
  }

  @Test
  void unknownWordsBecomeUnkOrAreAnErrorNamingThem() throws Exception {
    write("ptb.train.txt", " a <unk> b \n");
    write("ptb.valid.txt", " a zebra \n");
    write("ptb.test.txt", " b \n");
    Dataset d = open(PtbOptions.newBuilder().setSteps(1));
    assertEquals(3, d.size(Split.VALID));
    assertEquals(2, ((Batch.Tokens) d.batch(Split.VALID, 0, 1, false)).targets()[0], "zebra -> <unk> (id 2)");

    write("ptb.train.txt", " a b \n");
    IOException e = assertThrows(IOException.class, () -> open(PtbOptions.newBuilder()));
    assertTrue(e.getMessage().contains("ptb.valid.txt line 1 has the word 'zebra'"), e.getMessage());
  }

  @Test
  void wikiText2FileNamesAndATrainLimit() throws Exception {
    writeGz("wiki.train.tokens", " = Title = \n a b c d e f \n");
    write("wiki.valid.tokens", " a \n");
    write("wiki.test.tokens", " b \n");
    Dataset d = open(PtbOptions.newBuilder().setTrainFile("wiki.train.tokens").setValidFile("wiki.valid.tokens")
        .setTestFile("wiki.test.tokens").setTrainLimit(5));
    assertEquals(5, d.size(Split.TRAIN));
  }

  @Test
  void missingCorruptOrEmptyFilesAreClearErrors() throws Exception {
    FileNotFoundException none = assertThrows(FileNotFoundException.class,
        () -> new PtbProvider().create(PtbOptions.getDefaultInstance(), 1));
    assertTrue(none.getMessage().contains("`path` option"), none.getMessage());
    FileNotFoundException missing = assertThrows(FileNotFoundException.class, () -> open(PtbOptions.newBuilder()));
    assertTrue(missing.getMessage().contains("neither ptb.train.txt nor ptb.train.txt.gz"), missing.getMessage());

    writeGz("ptb.train.txt", TRAIN.repeat(200));
    byte[] gz = Files.readAllBytes(dir.resolve("ptb.train.txt.gz"));
    Files.write(dir.resolve("ptb.train.txt.gz"), Arrays.copyOf(gz, gz.length / 2));
    write("ptb.valid.txt", " the \n");
    write("ptb.test.txt", " the \n");
    IOException truncated = assertThrows(IOException.class, () -> open(PtbOptions.newBuilder()));
    assertTrue(truncated.getMessage().contains("ptb.train.txt.gz is not a complete gzip file"), truncated.getMessage());

    Files.delete(dir.resolve("ptb.train.txt.gz"));
    Files.write(dir.resolve("ptb.train.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x0a});
    IOException binary = assertThrows(IOException.class, () -> open(PtbOptions.newBuilder()));
    assertTrue(binary.getMessage().contains("is not UTF-8 text"), binary.getMessage());

    write("ptb.train.txt", "");
    IOException empty = assertThrows(IOException.class, () -> open(PtbOptions.newBuilder()));
    assertTrue(empty.getMessage().contains("holds no text"), empty.getMessage());

    write("ptb.train.txt", TRAIN);
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> open(PtbOptions.newBuilder().setSteps(0)));
    assertTrue(steps.getMessage().contains("steps must be > 0"), steps.getMessage());
  }
}
