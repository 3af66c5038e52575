package dev.enas.runtime.osgi;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.plugin.ProviderInstantiator;
import dev.enas.runtime.plugin.ServicesFile;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * Registers the providers a bundle lists in its own {@code META-INF/services} files, loading them through
 * the bundle's class loader. This is the extender pattern: a plugin jar carries no OSGi code and the same
 * services files serve both classpath and bundle discovery.
 */
public final class BundleScanner {
  private final PluginRegistry registry;
  private final ProviderInstantiator instantiator;

  public BundleScanner(PluginRegistry registry) {
    this.registry = registry;
    this.instantiator = new ProviderInstantiator(registry);
  }

  /** Scans one started bundle; {@code source} names its jar in warnings and listings. */
  public int scan(Bundle bundle, String source) {
    int found = 0;
    int servicesFiles = 0;
    for (PluginKind kind : PluginKind.values()) {
      URL file = bundle.getEntry("META-INF/services/" + kind.providerType().getName());
      if (file == null) {
        continue;
      }
      servicesFiles++;
      List<String> names;
      try {
        names = ServicesFile.read(file.openStream());
      } catch (IOException e) {
        registry.problem(source, "cannot read " + file + ": " + e.getMessage());
        continue;
      }
      for (String name : names) {
        Class<?> type;
        try {
          type = bundle.loadClass(name);
        } catch (ClassNotFoundException | LinkageError | IllegalStateException e) {
          registry.problem(source, "provider class " + name + " listed in META-INF/services cannot be loaded ("
              + ProviderInstantiator.describe(e) + ")");
          continue;
        }
        if (instantiator.register(kind, type, source, bundle.getVersion().toString())) {
          found++;
        }
      }
    }
    if (servicesFiles == 0) {
      registry.problem(source, NO_SERVICES);
    }
    return found;
  }

  /** The warning for a jar that names no provider: it adds no plugin, and how a plugin jar names its providers. */
  static final String NO_SERVICES = "has no META-INF/services entry for an enas plugin interface, so it adds no "
      + "plugin; a plugin jar names its provider class in META-INF/services/<interface>, e.g. "
      + "META-INF/services/dev.enas.api.space.SearchSpaceProvider (fine to ignore for a library bundle that other "
      + "plugins import)";
}
