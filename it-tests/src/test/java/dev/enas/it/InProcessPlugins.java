package dev.enas.it;

import dev.enas.runtime.plugin.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The distribution's plugins loaded into the test JVM through the runtime's plugin host, as bin/enas loads them: one
 * host for every test class of the run, never closed. A native library (libtorch, TensorFlow's) can be loaded by one
 * class loader per process only, so a second host's bundles could not start the engines the first one started.
 */
final class InProcessPlugins {
  private static PluginHost host;

  private InProcessPlugins() {}

  static synchronized PluginHost host() {
    if (host == null) {
      try {
        host = PluginHost.fromDirectory(Distribution.built().resolve("plugins"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(host::close));
    }
    return host;
  }
}
