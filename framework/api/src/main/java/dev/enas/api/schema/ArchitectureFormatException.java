package dev.enas.api.schema;

/** An architecture string or value list does not fit the decision schema; the message names the position and the allowed range. */
public class ArchitectureFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int position;

  public ArchitectureFormatException(int position, String message) {
    super(message);
    this.position = position;
  }

  /** 0-based token position the error is about, or -1 when it is about the whole string. */
  public int position() {
    return position;
  }
}
