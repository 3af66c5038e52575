package dev.enas.runtime.plugin;

import dev.enas.runtime.osgi.FelixHost;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The host's plugins for one process: discovered from the classpath, or from a plugins directory through
 * embedded OSGi. Both end in the same {@link PluginRegistry}. Close it to stop the OSGi framework.
 */
public final class PluginHost implements AutoCloseable {
  private final PluginRegistry registry;
  private final FelixHost felix;
  private final String mode;

  private PluginHost(PluginRegistry registry, FelixHost felix, String mode) {
    this.registry = registry;
    this.felix = felix;
    this.mode = mode;
  }

  /** Plugins found through META-INF/services on the classpath (library use, tests). */
  public static PluginHost fromClasspath() {
    PluginRegistry r = new PluginRegistry();
    ClasspathDiscovery.ofContextClassLoader().discover(r);
    r.warnAboutConflicts();
    return new PluginHost(r, null, "classpath");
  }

  /**
   * Plugins installed as OSGi bundles from every jar in {@code dir}. A plugin jar on the host's own class path
   * (lib/) is not loaded, and gets a warning saying to move it to {@code dir}.
   */
  public static PluginHost fromDirectory(Path dir) throws IOException {
    PluginRegistry r = new PluginRegistry();
    FelixHost felix;
    try {
      felix = FelixHost.start();
    } catch (org.osgi.framework.BundleException e) {
      throw new IOException("cannot start the OSGi framework: " + e.getMessage(), e);
    }
    try {
      felix.loadPlugins(dir, r);
      MisplacedPlugins.warn(PluginHost.class.getClassLoader(), dir, r);
      r.warnAboutConflicts();
    } catch (IOException | RuntimeException e) {
      felix.close();
      throw e;
    }
    return new PluginHost(r, felix, "osgi:" + dir);
  }

  /** The same plugins, for a user that must not stop them: closing the view leaves this host running. */
  public PluginHost borrowed() {
    return new PluginHost(registry, null, mode);
  }

  public PluginRegistry registry() {
    return registry;
  }

  /** "classpath" or "osgi:&lt;dir&gt;". */
  public String mode() {
    return mode;
  }

  @Override
  public void close() {
    if (felix != null) {
      felix.close();
    }
  }
}
