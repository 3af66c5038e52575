package dev.enas.runtime.plugin;

import dev.enas.api.plugin.Plugin;
import dev.enas.api.plugin.PluginKind;

/**
 * One discovered plugin: its provider instance and where it came from.
 *
 * @param source the jar (or class directory) the provider was loaded from
 * @param version the bundle or jar version, or "unknown"
 */
public record PluginDescriptor(PluginKind kind, String id, String version, String source, Plugin<?> provider) {

  public String summary() {
    String s = provider.summary();
    return s == null ? "" : s;
  }
}
