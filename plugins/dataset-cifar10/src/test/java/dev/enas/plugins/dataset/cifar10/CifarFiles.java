package dev.enas.plugins.dataset.cifar10;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small files in the real CIFAR-10 binary format for the tests. */
final class CifarFiles {
  private CifarFiles() {}

  /** The value of channel {@code c} at (y, x) of record {@code i}; (0, 0) red is {@code i} itself. */
  static int pixel(int i, int y, int x, int c) {
    return (i + 3 * y + 5 * x + 50 * c) & 0xff;
  }

  /** Bytes of records {@code first .. first + count - 1}, label {@code i % 10}. */
  static byte[] records(int first, int count) {
    byte[] data = new byte[count * 3073];
    for (int r = 0; r < count; r++) {
      int i = first + r;
      int base = r * 3073;
      data[base] = (byte) (i % 10);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            data[base + 1 + c * 1024 + y * 32 + x] = (byte) pixel(i, y, x, c);
          }
        }
      }
    }
    return data;
  }

  /** Five training files of {@code perFile} records (numbered on across files) and a test file. */
  static void write(Path dir, int perFile, int test) throws IOException {
    Files.createDirectories(dir);
    for (int k = 1; k <= 5; k++) {
      Files.write(dir.resolve("data_batch_" + k + ".bin"), records((k - 1) * perFile, perFile));
    }
    Files.write(dir.resolve("test_batch.bin"), records(0, test));
  }
}
