package dev.enas.plugins.dataset.fashionmnist;

import dev.enas.support.images.DatasetFormatException;
import dev.enas.support.images.ImageRecords;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads an image file and its label file in the IDX format of MNIST and Fashion-MNIST: a big-endian
 * header (two zero bytes, the element type 0x08 for unsigned bytes, the number of dimensions, then
 * one 32-bit size per dimension) followed by the data. Each file may be gzipped ({@code name.gz}) or plain.
 */
final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private final MessageDigest digest;

  /** @param digest updated with the bytes of every file read, as stored on disk */
  IdxReader(MessageDigest digest) {
    this.digest = digest;
  }

  /**
   * Reads {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} from {@code dir}.
   *
   * @param limit read only the first {@code limit} examples; 0 reads all
   * @param classes labels must lie in {@code [0, classes)}
   */
  ImageRecords read(Path dir, String prefix, int limit, int classes) throws IOException {
    Path imageFile = locate(dir, prefix + "-images-idx3-ubyte");
    Path labelFile = locate(dir, prefix + "-labels-idx1-ubyte");
    byte[] images = load(imageFile);
    byte[] labels = load(labelFile);
    int[] imageDims = header(imageFile, images, 3, "count, rows, cols");
    int[] labelDims = header(labelFile, labels, 1, "count");
    int count = imageDims[0];
    if (labelDims[0] != count) {
      throw new DatasetFormatException(labelFile, "holds " + labelDims[0] + " labels but " + imageFile.getFileName()
          + " holds " + count + " images");
    }
    int rows = imageDims[1];
    int cols = imageDims[2];
    int kept = limit > 0 ? Math.min(limit, count) : count;
    int imageStart = 4 + 4 * 3;
    int labelStart = 4 + 4;
    byte[] pixels = Arrays.copyOfRange(images, imageStart, imageStart + kept * rows * cols);
    byte[] keptLabels = Arrays.copyOfRange(labels, labelStart, labelStart + kept);
    for (int i = 0; i < count; i++) {
      int label = labels[labelStart + i] & 0xff;
      if (label >= classes) {
        throw new DatasetFormatException(labelFile, "label " + label + " of record " + i + " is out of range [0, "
            + classes + ")");
      }
    }
    return new ImageRecords(kept, rows, cols, 1, pixels, keptLabels);
  }

  /**
   * The sizes {@link #read} would find, {@code {count, rows, cols}}, from the headers of the image and label files
   * alone (the start of each, decompressed when gzipped): cheap enough for validating a config.
   */
  static int[] peek(Path dir, String prefix) throws IOException {
    Path imageFile = locate(dir, prefix + "-images-idx3-ubyte");
    Path labelFile = locate(dir, prefix + "-labels-idx1-ubyte");
    int[] imageDims = headerOnly(imageFile, 3, "count, rows, cols");
    int[] labelDims = headerOnly(labelFile, 1, "count");
    if (labelDims[0] != imageDims[0]) {
      throw new DatasetFormatException(labelFile, "holds " + labelDims[0] + " labels but " + imageFile.getFileName()
          + " holds " + imageDims[0] + " images");
    }
    return imageDims;
  }

  private static int[] headerOnly(Path file, int rank, String dimNames) throws IOException {
    int headerBytes = 4 + 4 * rank;
    byte[] head;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = new java.io.BufferedInputStream(raw)) {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      InputStream data = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
      head = data.readNBytes(headerBytes);
    } catch (java.util.zip.ZipException e) {
      throw new DatasetFormatException(file, "corrupt gzip data (" + e.getMessage() + ")");
    }
    return dims(file, head, rank, dimNames);
  }

  /** The gzipped file if there is one, else the plain one. */
  private static Path locate(Path dir, String name) throws FileNotFoundException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new FileNotFoundException("neither " + name + ".gz nor " + name + " is in " + dir);
  }

  /** The file's bytes, decompressed when they start with the gzip magic number (whatever the file is called). */
  private byte[] load(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    digest.update(raw);
    if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DatasetFormatException(file, "corrupt gzip data (" + e.getMessage() + ")");
    }
  }

  /** Checks the header and the data length; returns the dimension sizes. */
  private static int[] header(Path file, byte[] data, int rank, String dimNames) throws DatasetFormatException {
    int[] dims = dims(file, data, rank, dimNames);
    long expected = 1;
    for (int d : dims) {
      // Capped so that a corrupt header cannot overflow; no array holds 2^31 bytes anyway.
      expected = Math.min(expected * d, 1L << 31);
    }
    long actual = data.length - (4 + 4 * rank);
    if (actual < expected) {
      throw new DatasetFormatException(file, "truncated: the header promises " + describe(dims) + " = "
          + (expected < 1L << 31 ? String.valueOf(expected) : "over 2^31") + " bytes of data but only " + actual
          + " follow");
    }
    if (actual > expected) {
      throw new DatasetFormatException(file, (actual - expected) + " unexpected bytes after the " + expected
          + " bytes of data the header promises (" + describe(dims) + ")");
    }
    return dims;
  }

  /** Checks the magic number and the dimensions in the header at the start of {@code data}; returns them. */
  private static int[] dims(Path file, byte[] data, int rank, String dimNames) throws DatasetFormatException {
    int headerBytes = 4 + 4 * rank;
    if (data.length < 4) {
      throw new DatasetFormatException(file, "only " + data.length + " bytes: too short for an IDX header");
    }
    ByteBuffer buf = ByteBuffer.wrap(data);
    int magic = buf.getInt();
    int expectedMagic = UNSIGNED_BYTE << 8 | rank;
    if (magic != expectedMagic) {
      throw new DatasetFormatException(file, String.format(
          "bad magic number 0x%08x, expected 0x%08x (IDX, unsigned bytes, %d dimension%s: %s)",
          magic, expectedMagic, rank, rank == 1 ? "" : "s", dimNames));
    }
    if (data.length < headerBytes) {
      throw new DatasetFormatException(file, "truncated header: " + data.length + " bytes, need " + headerBytes);
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt();
      if (dims[i] <= 0) {
        throw new DatasetFormatException(file, "dimension " + i + " (" + dimNames.split(", ")[i] + ") is "
            + Integer.toUnsignedString(dims[i]) + ", must be positive and below 2^31");
      }
    }
    return dims;
  }

  private static String describe(int[] dims) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : "x").append(dims[i]);
    }
    return s.toString();
  }
}
