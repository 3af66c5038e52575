package dev.enas.plugins.dataset.cifar10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.support.images.DatasetFormatException;
import dev.enas.support.images.ImageRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
  @TempDir
  Path dir;

  private static ImageRecords read(List<Path> files, int limit) throws Exception {
    return new CifarReader(MessageDigest.getInstance("SHA-256")).read(files, limit, 10);
  }

  private Path file(String name, byte[] content) throws Exception {
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void colourPlanesBecomeInterleavedHwcPixels() throws Exception {
    ImageRecords r = read(List.of(file("a.bin", CifarFiles.records(0, 3))), 0);
    assertEquals(3, r.count());
    assertEquals(32, r.height());
    assertEquals(32, r.width());
    assertEquals(3, r.channels());
    for (int i = 0; i < 3; i++) {
      assertEquals(i % 10, r.label(i));
      for (int[] p : new int[][] {{0, 0, 0}, {0, 1, 0}, {1, 0, 2}, {31, 17, 1}}) {
        int at = i * 3072 + (p[0] * 32 + p[1]) * 3 + p[2];
        assertEquals(CifarFiles.pixel(i, p[0], p[1], p[2]), r.pixels()[at] & 0xff, "record " + i + " at "
            + Arrays.toString(p));
      }
    }
  }

  @Test
  void recordsOfSeveralFilesFollowEachOther() throws Exception {
    ImageRecords r = read(List.of(file("a.bin", CifarFiles.records(0, 2)), file("b.bin", CifarFiles.records(2, 3))), 0);
    assertEquals(5, r.count());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, r.pixels()[i * 3072] & 0xff);
    }
  }

  @Test
  void limitStopsBeforeTheFilesItDoesNotNeed() throws Exception {
    Path a = file("a.bin", CifarFiles.records(0, 4));
    Path b = file("b.bin", CifarFiles.records(4, 4));
    MessageDigest used = MessageDigest.getInstance("SHA-256");
    ImageRecords r = new CifarReader(used).read(List.of(a, b), 3, 10);
    assertEquals(3, r.count());
    MessageDigest onlyA = MessageDigest.getInstance("SHA-256");
    onlyA.update(Files.readAllBytes(a));
    assertArrayEquals(onlyA.digest(), used.digest(), "only the first file was needed");
  }

  @Test
  void truncatedFileIsReported() throws Exception {
    byte[] two = CifarFiles.records(0, 2);
    Path f = file("data_batch_1.bin", Arrays.copyOf(two, two.length - 10));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(List.of(f), 0));
    assertTrue(e.getMessage().contains("data_batch_1.bin: truncated or not a CIFAR-10 binary file: 6136 bytes is not"
        + " a whole number of 3073-byte records (1 records and 3063 bytes left over)"), e.getMessage());
  }

  @Test
  void emptyFileIsReported() throws Exception {
    Path f = file("test_batch.bin", new byte[0]);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(List.of(f), 0));
    assertTrue(e.getMessage().contains("test_batch.bin: is empty"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsReported() throws Exception {
    byte[] data = CifarFiles.records(0, 3);
    data[2 * 3073] = 10;
    Path f = file("data_batch_2.bin", data);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(List.of(f), 0));
    assertTrue(e.getMessage().contains("data_batch_2.bin: label 10 of record 2 is out of range [0, 10)"),
        e.getMessage());
  }
}
