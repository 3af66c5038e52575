package dev.enas.api.backend;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;

/** The SPI of a backend plugin. */
public interface BackendProvider<O extends Message> extends Plugin<O> {
  Backend create(O options, long seed);

  /**
   * Checks the options as {@link #create} would, in the validation pass that every command runs before any work; a
   * refusal is an {@link IllegalArgumentException} (an {@link dev.enas.api.plugin.OptionException} names the
   * option). This default creates a backend and closes it; a backend whose start is costly (an engine, a device)
   * should override it with the checks alone.
   */
  default void validate(O options) {
    create(options, 0).close();
  }
}
