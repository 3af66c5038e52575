package dev.enas.tensorboard.record;

/**
 * A TFRecord cut short at the end of its file, as a killed writer leaves it: the records before it are whole, so a
 * reader that appends after them may drop it.
 */
public final class TruncatedRecordException extends CorruptRecordException {
  public TruncatedRecordException(String message, long offset) {
    super(message, offset);
  }
}
