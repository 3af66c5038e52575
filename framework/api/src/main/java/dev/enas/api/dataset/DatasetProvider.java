package dev.enas.api.dataset;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;
import java.io.IOException;

/** The SPI of a dataset plugin: opens the dataset its options point at. */
public interface DatasetProvider<O extends Message> extends Plugin<O> {
  Dataset create(O options, long seed) throws IOException;
}
