package dev.enas.api.ir;

/** A network IR graph is malformed: a dangling input, a cycle, a shape mismatch, an unresolved choice. */
public class IrException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IrException(String message) {
    super(message);
  }
}
