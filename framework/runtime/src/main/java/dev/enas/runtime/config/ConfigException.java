package dev.enas.runtime.config;

/** A run config (or a command's arguments) is wrong; the message says where and how to fix it. Exit code 2. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
