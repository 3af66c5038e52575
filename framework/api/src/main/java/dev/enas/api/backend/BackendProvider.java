package dev.enas.api.backend;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;

/** The SPI of a backend plugin. */
public interface BackendProvider<O extends Message> extends Plugin<O> {
  Backend create(O options, long seed);
}
