package dev.enas.plugins.dataset.cifar10;

import dev.enas.support.images.DatasetFormatException;
import dev.enas.support.images.ImageRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * Reads files of the CIFAR-10 binary version: fixed-size records of one label byte followed by
 * 3072 pixel bytes, the 1024 red, then 1024 green, then 1024 blue values of a 32x32 image in
 * row-major order. Images are stored transposed to HWC.
 */
final class CifarReader {
  static final int SIDE = 32;
  static final int CHANNELS = 3;
  static final int PLANE = SIDE * SIDE;
  static final int RECORD = 1 + CHANNELS * PLANE;

  private final MessageDigest digest;

  /** @param digest updated with the bytes of every file read */
  CifarReader(MessageDigest digest) {
    this.digest = digest;
  }

  /**
   * How many records {@link #read} keeps, from the file sizes alone; a file that is not a whole number of records is
   * refused as {@code read} refuses it.
   */
  static int count(List<Path> files, int limit) throws IOException {
    long total = 0;
    for (Path file : files) {
      long size = Files.size(file);
      if (size == 0) {
        throw new DatasetFormatException(file, "is empty; a CIFAR-10 binary file holds records of " + RECORD + " bytes");
      }
      if (size % RECORD != 0) {
        throw new DatasetFormatException(file, "truncated or not a CIFAR-10 binary file: " + size
            + " bytes is not a whole number of " + RECORD + "-byte records (" + size / RECORD + " records and "
            + size % RECORD + " bytes left over)");
      }
      total += size / RECORD;
    }
    long keptLong = limit > 0 ? Math.min(limit, total) : total;
    if (keptLong * RECORD > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(total + " records do not fit in memory as one array; set a limit");
    }
    return (int) keptLong;
  }

  /**
   * Reads the records of the files in order.
   *
   * @param limit keep only the first {@code limit} records; 0 keeps all. Files after the last one needed are not read.
   * @param classes labels must lie in {@code [0, classes)}
   */
  ImageRecords read(List<Path> files, int limit, int classes) throws IOException {
    int kept = count(files, limit);
    byte[] pixels = new byte[kept * CHANNELS * PLANE];
    byte[] labels = new byte[kept];
    int next = 0;
    for (Path file : files) {
      if (next == kept) {
        break;
      }
      byte[] data = Files.readAllBytes(file);
      digest.update(data);
      int records = data.length / RECORD;
      for (int r = 0; r < records; r++) {
        int base = r * RECORD;
        int label = data[base] & 0xff;
        if (label >= classes) {
          throw new DatasetFormatException(file, "label " + label + " of record " + r + " is out of range [0, "
              + classes + ")");
        }
        if (next < kept) {
          labels[next] = (byte) label;
          int out = next * CHANNELS * PLANE;
          for (int c = 0; c < CHANNELS; c++) {
            int plane = base + 1 + c * PLANE;
            for (int i = 0; i < PLANE; i++) {
              pixels[out + i * CHANNELS + c] = data[plane + i];
            }
          }
          next++;
        }
      }
    }
    return new ImageRecords(kept, SIDE, SIDE, CHANNELS, pixels, labels);
  }
}
