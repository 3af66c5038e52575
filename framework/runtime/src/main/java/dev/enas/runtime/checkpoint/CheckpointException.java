package dev.enas.runtime.checkpoint;

/** A checkpoint is missing, corrupt, or belongs to another run; it is refused and never overwritten. */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
