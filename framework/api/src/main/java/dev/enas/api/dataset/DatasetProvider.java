package dev.enas.api.dataset;

import com.google.protobuf.Message;
import dev.enas.api.plugin.Plugin;
import java.io.IOException;

/** The SPI of a dataset plugin: opens the dataset its options point at. */
public interface DatasetProvider<O extends Message> extends Plugin<O> {
  Dataset create(O options, long seed) throws IOException;

  /**
   * Checks the options and says what {@link #create} would open, without reading the data if it can: the host calls
   * it in the validation pass that {@code enas validate}, {@code search}, {@code train} and {@code resume} run before
   * any work, so an option refused here is refused by all of them alike. It must refuse every options value that
   * {@code create} refuses (an {@link dev.enas.api.plugin.OptionException} names the option). This default opens
   * the dataset; a provider that can read the sizes from file headers should override it.
   */
  default DatasetInfo describe(O options) throws IOException {
    return create(options, 0);
  }
}
