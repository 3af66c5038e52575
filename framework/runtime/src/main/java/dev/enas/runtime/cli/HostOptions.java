package dev.enas.runtime.cli;

import dev.enas.runtime.plugin.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where plugins come from: a plugins directory loaded through embedded OSGi ({@code bin/enas} passes the
 * distribution's {@code plugins/}), or the classpath when no directory is given.
 */
public final class HostOptions {
  @Option(names = "--plugins-dir", paramLabel = "DIR",
      description = "Load plugin bundles from DIR through OSGi (default: the distribution's plugins/, "
          + "or the classpath when run outside a distribution).")
  Path pluginsDir;

  @Option(names = {"-v", "--verbose"},
      description = "Print stack traces of failures, and TensorFlow's native log (bin/enas hides its info and "
          + "warning lines otherwise).")
  boolean verbose;

  private static volatile PluginHost processHost;

  /**
   * Makes the commands this process runs from now on, when given no {@code --plugins-dir}, borrow {@code host}
   * instead of opening their own, and leave it open when they end. For a process that runs many commands (a sweep's
   * trials, several at once): a native library (TensorFlow's, libtorch) loads in one class loader per process, so
   * every run in the process must take its plugins from the same host.
   */
  public static void shareProcessHost(PluginHost host) {
    processHost = host;
  }

  /** Opens the plugin host the options describe. */
  public PluginHost open() throws IOException {
    PluginHost shared = processHost;
    if (pluginsDir == null && shared != null) {
      return shared.borrowed();
    }
    Path dir = pluginsDir;
    if (dir == null) {
      String fromLauncher = System.getProperty("enas.plugins.dir");
      if (fromLauncher != null && !fromLauncher.isBlank()) {
        dir = Path.of(fromLauncher);
      }
    }
    if (dir == null) {
      return PluginHost.fromClasspath();
    }
    if (!Files.isDirectory(dir)) {
      throw new dev.enas.runtime.config.ConfigException("plugins directory " + dir + " does not exist");
    }
    return PluginHost.fromDirectory(dir);
  }
}
