package dev.enas.runtime.osgi;

import dev.enas.api.plugin.PluginKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;

/** Tells a corrupt or unreadable jar apart before OSGi gives its vaguer error. */
final class JarCheck {
  private JarCheck() {}

  /** A description of what is wrong with the jar, or null when it opens as a jar. */
  static String problem(Path jar) {
    try (JarFile f = new JarFile(jar.toFile())) {
      f.getManifest();
      return null;
    } catch (IOException | SecurityException e) {
      return "not a readable jar (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "); replace or remove the file";
    }
  }

  /** Whether the jar has a META-INF/services file for any enas plugin interface. */
  static boolean namesAProvider(Path jar) {
    try (JarFile f = new JarFile(jar.toFile())) {
      for (PluginKind k : PluginKind.values()) {
        if (f.getEntry("META-INF/services/" + k.providerType().getName()) != null) {
          return true;
        }
      }
      return false;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
