package dev.enas.api.plugin;

import com.google.protobuf.Message;

/**
 * What every plugin provider has: an id that run configs name, and a typed options message.
 * Providers are found through {@link java.util.ServiceLoader} ({@code META-INF/services/<SPI interface>})
 * on the classpath, or in an OSGi bundle dropped into the distribution's {@code plugins/}; the same jar
 * works both ways. A provider needs a public no-argument constructor.
 *
 * @param <O> the plugin's options message; a run config's options must be of exactly this type
 */
public interface Plugin<O extends Message> {

  /** The id run configs use, e.g. {@code enas-micro}; unique per kind. */
  String id();

  /** The default options; its type is the options type the plugin accepts. */
  O defaultOptions();

  /** One line for {@code enas plugins}. */
  default String summary() {
    return "";
  }
}
