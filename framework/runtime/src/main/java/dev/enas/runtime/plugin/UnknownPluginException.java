package dev.enas.runtime.plugin;

import dev.enas.runtime.config.ConfigException;

/** A run config names a plugin id that no discovered plugin of that kind has. */
public class UnknownPluginException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public UnknownPluginException(String message) {
    super(message);
  }
}
