package dev.enas.runtime.config;

import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.RunConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A validated run config: defaults filled in, every plugin id found, every options message unpacked.
 *
 * @param source the file it was read from, for messages
 */
public record ResolvedConfig(Path source, RunConfig config, Map<PluginKind, PluginChoice> plugins) {

  public PluginChoice plugin(PluginKind kind) {
    PluginChoice c = plugins.get(kind);
    if (c == null) {
      throw new ConfigException(source + ": no " + kind.label() + " { id: ... } block");
    }
    return c;
  }
}
