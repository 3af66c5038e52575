package dev.enas.sweep.trial;

import dev.enas.runtime.cli.HostOptions;
import dev.enas.runtime.plugin.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one plugin host of a JVM that runs trials, which every trial's commands borrow ({@link
 * HostOptions#shareProcessHost}): the driver installs its own (local[N] runs trials in the driver), an executor opens
 * one at its first trial from the plugins directory that {@code -Denas.plugins.dir} names (the driver passes its own
 * to executors), or from the classpath without one. Never closed: natives loaded by its bundles stay for the JVM.
 */
public final class ProcessPlugins {
  private static PluginHost host;

  private ProcessPlugins() {}

  /** Makes {@code h} this JVM's host (the driver's, opened from the command's options). */
  public static synchronized void install(PluginHost h) {
    host = h;
    HostOptions.shareProcessHost(h);
  }

  /** This JVM's host, opened on first use. */
  public static synchronized PluginHost ensure() throws IOException {
    if (host == null) {
      String dir = System.getProperty("enas.plugins.dir");
      PluginHost h;
      if (dir != null && !dir.isBlank()) {
        if (!Files.isDirectory(Path.of(dir))) {
          throw new IOException("plugins directory " + dir + " is not on this machine; install the enas "
              + "distribution at the same path on every worker");
        }
        h = PluginHost.fromDirectory(Path.of(dir));
      } else {
        h = PluginHost.fromClasspath();
      }
      install(h);
    }
    return host;
  }
}
