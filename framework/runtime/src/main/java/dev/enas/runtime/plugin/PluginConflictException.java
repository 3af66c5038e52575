package dev.enas.runtime.plugin;

import dev.enas.runtime.config.ConfigException;

/** A run asks for a plugin id that two jars provide, without saying which jar wins: a config error (exit 2). */
public class PluginConflictException extends ConfigException {
  private static final long serialVersionUID = 1L;
  private final transient PluginConflict conflict;

  public PluginConflictException(PluginConflict conflict) {
    this(conflict, conflict.describe());
  }

  public PluginConflictException(PluginConflict conflict, String message) {
    super(message);
    this.conflict = conflict;
  }

  public PluginConflict conflict() {
    return conflict;
  }
}
