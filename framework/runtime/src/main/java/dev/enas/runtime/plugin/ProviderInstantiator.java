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

  static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
