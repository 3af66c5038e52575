package dev.enas.tensorboard.record;

import java.io.IOException;

/** A TFRecord whose checksum does not match its bytes, or that ends before its length says. */
public class CorruptRecordException extends IOException {
  private final long offset;

  public CorruptRecordException(String message, long offset) {
    super(message);
    this.offset = offset;
  }

  /** Where the bad record starts: the bytes before it are whole records. */
  public long offset() {
    return offset;
  }
}
