package dev.enas.api.backend;

/**
 * A backend cannot start on this machine: its native libraries are missing or do not load, or the device it was asked
 * for is absent. The message names what is missing and how to get it; the host reports it as a usage error (exit 2),
 * without a stack trace.
 */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public BackendUnavailableException(String message) {
    super(message);
  }
}
