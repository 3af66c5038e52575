package dev.enas.tensorboard.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads TFRecord framing and verifies both checksums of every record. A mismatch, or a record cut short, is an
 * exception that names the source and the byte offset of the record.
 */
public final class TfRecordReader {
  private final InputStream in;
  private final String source;
  private long offset;

  /** @param source what {@code in} reads, for messages (a file's path) */
  public TfRecordReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** The next record's data, or null at the end of the stream (after a whole record). */
  public byte[] next() throws IOException {
    long start = offset;
    byte[] header = new byte[12];
    int n = in.readNBytes(header, 0, 12);
    if (n == 0) {
      return null;
    }
    if (n < 12) {
      throw new TruncatedRecordException(where(start) + " ends after " + n + " of its 12 header bytes", start);
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    long length = h.getLong(0);
    int stored = h.getInt(8);
    int computed = MaskedCrc32c.of(header, 0, 8);
    if (stored != computed) {
      throw new CorruptRecordException(where(start) + ": the length's checksum does not match (stored "
          + hex(stored) + ", computed " + hex(computed) + "); the file is corrupt", start);
    }
    if (length > Integer.MAX_VALUE - 8) {
      throw new CorruptRecordException(where(start) + ": length " + length + " is more than a record can hold", start);
    }
    byte[] data = in.readNBytes((int) length);
    byte[] crc = in.readNBytes(4);
    if (data.length < length || crc.length < 4) {
      throw new TruncatedRecordException(where(start) + " of " + length + " bytes is cut short by the end of the "
          + "file", start);
    }
    int storedData = ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int computedData = MaskedCrc32c.of(data);
    if (storedData != computedData) {
      throw new CorruptRecordException(where(start) + ": the data's checksum does not match (stored "
          + hex(storedData) + ", computed " + hex(computedData) + "); the file is corrupt", start);
    }
    offset += 12 + length + 4;
    return data;
  }

  /** The offset of the next record: the bytes before it have been read as whole records. */
  public long offset() {
    return offset;
  }

  private String where(long start) {
    return source + ": the record at byte " + start;
  }

  private static String hex(int v) {
    return String.format("0x%08x", v);
  }
}
