package dev.enas.tensorboard.record;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes TFRecord framing: per record, its length as a little-endian uint64, the masked CRC32C of those 8 bytes,
 * the data, and the masked CRC32C of the data (both CRCs little-endian uint32). The stream is the caller's.
 */
public final class TfRecordWriter {
  private final OutputStream out;

  public TfRecordWriter(OutputStream out) {
    this.out = out;
  }

  public void write(byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(MaskedCrc32c.of(header.array(), 0, 8));
    out.write(header.array());
    out.write(data);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(MaskedCrc32c.of(data)).array());
  }

  public void flush() throws IOException {
    out.flush();
  }
}
