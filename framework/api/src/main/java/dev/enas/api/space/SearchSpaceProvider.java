package dev.enas.api.space;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;

/** The SPI of a search-space plugin: builds the space from its options. */
public interface SearchSpaceProvider<O extends Message> extends Plugin<O> {
  SearchSpace create(O options);
}
