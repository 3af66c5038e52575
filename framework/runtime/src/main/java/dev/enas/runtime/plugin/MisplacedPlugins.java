package dev.enas.runtime.plugin;

import dev.enas.api.plugin.PluginKind;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds plugin jars on the host's own class path (the distribution's {@code lib/}) when plugins come from a plugins
 * directory: such a jar is never loaded as a plugin, so it gets a warning that says where plugins go instead of
 * being ignored without a word.
 */
public final class MisplacedPlugins {
  private MisplacedPlugins() {}

  /**
   * Records a problem for every jar (not class directory) visible to {@code loader} that lists an enas provider in
   * {@code META-INF/services}.
   *
   * @return the number of such jars
   */
  public static int warn(ClassLoader loader, Path pluginsDir, PluginRegistry registry) {
    Map<String, String> jars = new LinkedHashMap<>();
    for (PluginKind kind : PluginKind.values()) {
      String entry = "META-INF/services/" + kind.providerType().getName();
      Enumeration<URL> files;
      try {
        files = loader.getResources(entry);
      } catch (IOException e) {
        continue;
      }
      while (files.hasMoreElements()) {
        String url = files.nextElement().toString();
        if (url.startsWith("jar:file:") && url.contains("!/")) {
          String jar = jarPath(url.substring(4, url.indexOf("!/")));
          jars.merge(jar, entry, (a, b) -> a + ", " + b);
        }
      }
    }
    jars.forEach((jar, entries) -> registry.problem(jar, "holds an enas plugin (" + entries + ") but is on the "
        + "host's class path (lib/), where plugins are not looked for; move it to the plugins directory " + pluginsDir));
    return jars.size();
  }

  private static String jarPath(String fileUrl) {
    try {
      return Path.of(new URL(fileUrl).toURI()).toString();
    } catch (Exception e) {
      return fileUrl;
    }
  }
}
