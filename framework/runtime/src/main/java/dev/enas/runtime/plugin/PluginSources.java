package dev.enas.runtime.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/** Names the jar a class was loaded from, for listings and warnings. */
final class PluginSources {
  private PluginSources() {}

  static String of(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "unknown";
    }
    try {
      return Path.of(cs.getLocation().toURI()).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return cs.getLocation().toString();
    }
  }
}
