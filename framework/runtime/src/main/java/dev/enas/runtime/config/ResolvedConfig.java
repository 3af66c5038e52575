package dev.enas.runtime.config;

import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.RunConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A resolved run config: defaults filled in, every plugin id found, every options message unpacked. The values are
 * checked by {@link ConfigValidator}, which every command runs on it before any work.
 *
 * @param source the file it was read from, for messages
 * @param locations where each field was written, for messages; never null
 */
public record ResolvedConfig(Path source, RunConfig config, Map<PluginKind, PluginChoice> plugins,
    ConfigLocations locations) {

  public ResolvedConfig {
    if (locations == null) {
      locations = ConfigLocations.none(String.valueOf(source));
    }
  }

  /** A config without locations: messages name the file only. */
  public ResolvedConfig(Path source, RunConfig config, Map<PluginKind, PluginChoice> plugins) {
    this(source, config, plugins, null);
  }

  /** The same config with other values, e.g. a run directory filled in. */
  public ResolvedConfig withConfig(RunConfig other) {
    return new ResolvedConfig(source, other, plugins, locations);
  }

  /** The same config with other plugin choices, e.g. the space's final preset. */
  public ResolvedConfig withPlugins(Map<PluginKind, PluginChoice> other) {
    return new ResolvedConfig(source, config, other, locations);
  }

  public PluginChoice plugin(PluginKind kind) {
    PluginChoice c = plugins.get(kind);
    if (c == null) {
      throw new ConfigException(source + ": no " + kind.label() + " { id: ... } block");
    }
    return c;
  }
}
