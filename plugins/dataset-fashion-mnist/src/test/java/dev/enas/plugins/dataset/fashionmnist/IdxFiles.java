package dev.enas.plugins.dataset.fashionmnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small files in the real IDX format for the tests. */
final class IdxFiles {
  static final int ROWS = 28;
  static final int COLS = 28;

  private IdxFiles() {}

  /**
   * Writes {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} with {@code count}
   * 28x28 images; image {@code i} has the value {@code i} at pixel (0, 0) and {@code (i + y + x) % 256}
   * elsewhere, and label {@code i % 10}.
   */
  static void write(Path dir, String prefix, int count, boolean gzip) throws IOException {
    byte[] pixels = new byte[count * ROWS * COLS];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      for (int y = 0; y < ROWS; y++) {
        for (int x = 0; x < COLS; x++) {
          pixels[i * ROWS * COLS + y * COLS + x] = (byte) (y == 0 && x == 0 ? i : i + y + x);
        }
      }
      labels[i] = (byte) (i % 10);
    }
    writeFile(dir, prefix + "-images-idx3-ubyte", idx(pixels, count, ROWS, COLS), gzip);
    writeFile(dir, prefix + "-labels-idx1-ubyte", idx(labels, count), gzip);
  }

  /** An IDX file of unsigned bytes with the given dimension sizes. */
  static byte[] idx(byte[] data, int... dims) {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buf.putInt(0x0800 | dims.length);
    for (int d : dims) {
      buf.putInt(d);
    }
    buf.put(data);
    return buf.array();
  }

  /** Writes {@code name.gz} (gzipped) or {@code name} (plain). */
  static Path writeFile(Path dir, String name, byte[] content, boolean gzip) throws IOException {
    Files.createDirectories(dir);
    if (!gzip) {
      return Files.write(dir.resolve(name), content);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return Files.write(dir.resolve(name + ".gz"), bytes.toByteArray());
  }
}
