package dev.enas.plugins.dataset.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.support.images.DatasetFormatException;
import dev.enas.support.images.ImageRecords;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  private ImageRecords read(int limit) throws Exception {
    return new IdxReader(MessageDigest.getInstance("SHA-256")).read(dir, "train", limit, 10);
  }

  private void assertRecordsWritten(ImageRecords r, int count) {
    assertEquals(count, r.count());
    assertEquals(28, r.height());
    assertEquals(28, r.width());
    assertEquals(1, r.channels());
    for (int i = 0; i < count; i++) {
      assertEquals(i % 10, r.label(i));
      assertEquals(i, r.pixels()[i * 784] & 0xff, "pixel (0, 0) of image " + i);
      assertEquals((i + 3 + 5) & 0xff, r.pixels()[i * 784 + 3 * 28 + 5] & 0xff, "pixel (3, 5) of image " + i);
    }
  }

  @Test
  void readsGzippedFiles() throws Exception {
    IdxFiles.write(dir, "train", 12, true);
    assertRecordsWritten(read(0), 12);
  }

  @Test
  void readsPlainFiles() throws Exception {
    IdxFiles.write(dir, "train", 7, false);
    assertRecordsWritten(read(0), 7);
  }

  @Test
  void limitKeepsTheFirstRecords() throws Exception {
    IdxFiles.write(dir, "train", 12, true);
    ImageRecords r = read(5);
    assertRecordsWritten(r, 5);
    assertEquals(12, read(50).count(), "a limit above the count reads everything");
  }

  @Test
  void gzipIsRecognisedByContentNotByName() throws Exception {
    IdxFiles.write(dir, "train", 3, true);
    Files.move(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-images-idx3-ubyte"));
    assertRecordsWritten(read(0), 3);
  }

  @Test
  void badMagicIsReportedWithTheFileName() throws Exception {
    IdxFiles.write(dir, "train", 3, false);
    byte[] bytes = Files.readAllBytes(dir.resolve("train-images-idx3-ubyte"));
    bytes[2] = 0x0d; // float elements instead of unsigned bytes
    Files.write(dir.resolve("train-images-idx3-ubyte"), bytes);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("bad magic number 0x00000d03"),
        e.getMessage());
  }

  @Test
  void labelFileWithImageMagicIsRefused() throws Exception {
    IdxFiles.write(dir, "train", 3, false);
    IdxFiles.writeFile(dir, "train-labels-idx1-ubyte", IdxFiles.idx(new byte[3 * 4], 3, 2, 2), false);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte") && e.getMessage().contains("expected 0x00000801"),
        e.getMessage());
  }

  @Test
  void shortImageFileIsReportedAsTruncated() throws Exception {
    IdxFiles.write(dir, "train", 4, false);
    Path images = dir.resolve("train-images-idx3-ubyte");
    byte[] bytes = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(bytes, bytes.length - 100));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte: truncated: the header promises 4x28x28 = 3136 bytes"
        + " of data but only 3036 follow"), e.getMessage());
  }

  @Test
  void fileShorterThanAHeaderIsReported() throws Exception {
    IdxFiles.write(dir, "train", 4, false);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0});
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: only 2 bytes"), e.getMessage());
  }

  @Test
  void trailingBytesAreReported() throws Exception {
    IdxFiles.write(dir, "train", 4, false);
    IdxFiles.writeFile(dir, "train-labels-idx1-ubyte", IdxFiles.idx(new byte[6], 4), false);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("2 unexpected bytes after the 4 bytes"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() throws Exception {
    IdxFiles.write(dir, "train", 4, true);
    IdxFiles.writeFile(dir, "train-labels-idx1-ubyte", IdxFiles.idx(new byte[3], 3), true);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: holds 3 labels but train-images-idx3-ubyte.gz"
        + " holds 4 images"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsReported() throws Exception {
    IdxFiles.write(dir, "train", 4, false);
    IdxFiles.writeFile(dir, "train-labels-idx1-ubyte", IdxFiles.idx(new byte[] {1, 2, 10, 3}, 4), false);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: label 10 of record 2 is out of range [0, 10)"),
        e.getMessage());
  }

  @Test
  void labelOutOfRangeBeyondTheLimitIsStillReported() throws Exception {
    IdxFiles.write(dir, "train", 4, false);
    IdxFiles.writeFile(dir, "train-labels-idx1-ubyte", IdxFiles.idx(new byte[] {1, 2, 3, (byte) 200}, 4), false);
    assertThrows(DatasetFormatException.class, () -> read(2));
  }

  @Test
  void corruptGzipIsReported() throws Exception {
    IdxFiles.write(dir, "train", 4, true);
    Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
    byte[] bytes = Files.readAllBytes(labels);
    Files.write(labels, Arrays.copyOf(bytes, bytes.length / 2));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(0));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz: corrupt gzip data"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() throws IOException {
    IdxFiles.write(dir, "train", 4, true);
    Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> read(0));
    assertTrue(e.getMessage().contains("neither train-labels-idx1-ubyte.gz nor train-labels-idx1-ubyte is in " + dir),
        e.getMessage());
  }

  @Test
  void digestCoversTheBytesOnDisk() throws Exception {
    IdxFiles.write(dir, "train", 4, true);
    MessageDigest used = MessageDigest.getInstance("SHA-256");
    new IdxReader(used).read(dir, "train", 2, 10);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    expected.update(Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz")));
    expected.update(Files.readAllBytes(dir.resolve("train-labels-idx1-ubyte.gz")));
    assertArrayEquals(expected.digest(), used.digest());
  }
}
