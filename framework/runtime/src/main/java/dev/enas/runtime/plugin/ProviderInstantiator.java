package dev.enas.runtime.plugin;

import dev.enas.api.plugin.Plugin;
import dev.enas.api.plugin.PluginKind;
import java.lang.reflect.InvocationTargetException;

/** Creates a provider from its class and registers it, turning every failure into a problem of its source. */
public final class ProviderInstantiator {
  private final PluginRegistry registry;

  public ProviderInstantiator(PluginRegistry registry) {
    this.registry = registry;
  }

  /** Instantiates {@code type} as a provider of {@code kind} and registers it; returns false on any failure. */
  public boolean register(PluginKind kind, Class<?> type, String source, String version) {
    if (!kind.providerType().isAssignableFrom(type)) {
      registry.problem(source, type.getName() + " is listed as a " + kind.label() + " plugin but does not implement "
          + kind.providerType().getName());
      return false;
    }
    Plugin<?> provider;
    try {
      provider = (Plugin<?>) type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      registry.problem(source, "constructor of " + type.getName() + " threw " + describe(cause));
      return false;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      registry.problem(source, "cannot instantiate " + type.getName() + ": " + describe(e));
      return false;
    }
    String id;
    try {
      id = provider.id();
      provider.defaultOptions().getDescriptorForType();
    } catch (RuntimeException | LinkageError e) {
      registry.problem(source, type.getName() + " failed to describe itself: " + describe(e));
      return false;
    }
    return registry.register(new PluginDescriptor(kind, id, version, source, provider));
  }

  /**
   * The throwable's simple class name and message; for a class the plugin's bundle cannot see because its manifest
   * does not import a package the host exports (com.google.protobuf above all), a sentence that says so.
   */
  public static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()) + missingImport(t);
  }

  /** Packages the host exports to plugin bundles, which a bundle sees only if its Import-Package names them. */
  private static final java.util.List<String> HOST_EXPORTS = java.util.List.of("com.google.protobuf", "dev.enas.api",
      "dev.enas.proto", "org.slf4j");

  static String missingImport(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if ((c instanceof NoClassDefFoundError || c instanceof ClassNotFoundException) && c.getMessage() != null) {
        String name = c.getMessage().strip().split("\\s+")[0].replace('/', '.');
        int dot = name.lastIndexOf('.');
        String pkg = dot > 0 ? name.substring(0, dot) : "";
        for (String exported : HOST_EXPORTS) {
          if (pkg.equals(exported) || pkg.startsWith(exported + ".")) {
            return " (the jar's bundle does not import package " + pkg + ", which the host exports: add " + pkg
                + " to Import-Package in its META-INF/MANIFEST.MF)";
          }
        }
      }
    }
    return "";
  }
}
