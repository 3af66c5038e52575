package dev.enas.it;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small image-classification set in the real Fashion-MNIST file format (gzipped IDX), so the
 * integration tests run the real loader without the 30 MB Debian package. Class k is a bright horizontal
 * band at rows 2k..2k+3 over noise: learnable in a few steps.
 */
final class IdxFiles {
  private IdxFiles() {}

  static Path write(Path dir, int train, int test, long seed) throws IOException {
    return write(dir, train, test, seed, false);
  }

  /**
   * The same format where class k's band is 2k + 2 rows thick from row 4, so classes differ in mean brightness too: a
   * network that ends in global average pooling (every shipped image space) learns it in a few dozen steps, while a
   * band's position alone is nearly invisible to it.
   */
  static Path writeThickness(Path dir, int train, int test, long seed) throws IOException {
    return write(dir, train, test, seed, true);
  }

  private static Path write(Path dir, int train, int test, long seed, boolean thickness) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    writeSet(dir, "train", train, r, thickness);
    writeSet(dir, "t10k", test, r, thickness);
    return dir;
  }

  private static void writeSet(Path dir, String prefix, int n, SplittableRandom r, boolean thickness)
      throws IOException {
    int[] labels = new int[n];
    try (DataOutputStream img = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
      img.writeInt(0x00000803);
      img.writeInt(n);
      img.writeInt(28);
      img.writeInt(28);
      for (int i = 0; i < n; i++) {
        labels[i] = r.nextInt(10);
        for (int y = 0; y < 28; y++) {
          boolean band = thickness ? y >= 4 && y < 2 * labels[i] + 6 : y >= 2 * labels[i] + 4 && y < 2 * labels[i] + 8;
          for (int x = 0; x < 28; x++) {
            img.writeByte(band ? 200 + r.nextInt(56) : r.nextInt(60));
          }
        }
      }
    }
    try (DataOutputStream lab = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
      lab.writeInt(0x00000801);
      lab.writeInt(n);
      for (int l : labels) {
        lab.writeByte(l);
      }
    }
  }

  private static DataOutputStream gz(Path p) throws IOException {
    OutputStream out = Files.newOutputStream(p);
    return new DataOutputStream(new GZIPOutputStream(out));
  }
}
