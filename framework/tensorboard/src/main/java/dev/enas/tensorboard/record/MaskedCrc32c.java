package dev.enas.tensorboard.record;

import java.util.zip.CRC32C;

/**
 * The checksum of TFRecord framing: CRC32C (Castagnoli), rotated right by 15 bits and offset by a constant, which
 * TensorFlow does so that a CRC computed over data that itself holds CRCs stays well distributed.
 */
public final class MaskedCrc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private MaskedCrc32c() {}

  /** The plain CRC32C of {@code len} bytes of {@code b} from {@code off}. */
  public static int crc32c(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  /** Masks a CRC as TensorFlow's {@code crc32c::Mask} does. */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  /** The masked CRC32C of {@code len} bytes of {@code b} from {@code off}. */
  public static int of(byte[] b, int off, int len) {
    return mask(crc32c(b, off, len));
  }

  public static int of(byte[] b) {
    return of(b, 0, b.length);
  }
}
