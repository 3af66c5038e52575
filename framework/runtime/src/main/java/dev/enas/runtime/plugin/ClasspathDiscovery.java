package dev.enas.runtime.plugin;

import dev.enas.api.plugin.PluginKind;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Fills a registry from the classpath through the {@link java.util.ServiceLoader} convention: every
 * {@code META-INF/services/<provider interface>} file names provider classes. Each file is read on its
 * own, so a missing class or a failing constructor is blamed on the jar that listed it.
 */
public final class ClasspathDiscovery {
  private final ClassLoader loader;

  public ClasspathDiscovery(ClassLoader loader) {
    this.loader = loader;
  }

  public static ClasspathDiscovery ofContextClassLoader() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return new ClasspathDiscovery(cl != null ? cl : ClasspathDiscovery.class.getClassLoader());
  }

  public void discover(PluginRegistry registry) {
    ProviderInstantiator instantiator = new ProviderInstantiator(registry);
    for (PluginKind kind : PluginKind.values()) {
      Enumeration<URL> files;
      try {
        files = loader.getResources("META-INF/services/" + kind.providerType().getName());
      } catch (IOException e) {
        registry.problem("classpath", "cannot list " + kind.label() + " providers: " + e.getMessage());
        continue;
      }
      while (files.hasMoreElements()) {
        URL file = files.nextElement();
        String source = sourceOf(file);
        List<String> classes;
        try {
          URLConnection c = file.openConnection();
          c.setUseCaches(false);
          classes = ServicesFile.read(c.getInputStream());
        } catch (IOException e) {
          registry.problem(source, "cannot read " + file + ": " + e.getMessage());
          continue;
        }
        for (String name : classes) {
          Class<?> type;
          try {
            type = Class.forName(name, false, loader);
          } catch (ClassNotFoundException | LinkageError e) {
            registry.problem(source, "provider class " + name + " listed in META-INF/services is missing ("
                + ProviderInstantiator.describe(e) + ")");
            continue;
          }
          instantiator.register(kind, type, source, versionOf(file));
        }
      }
    }
  }

  private static String sourceOf(URL servicesFile) {
    String s = servicesFile.toString();
    if (s.startsWith("jar:")) {
      s = s.substring(4, s.indexOf("!/"));
    } else {
      int i = s.indexOf("META-INF/services/");
      s = i > 0 ? s.substring(0, i) : s;
    }
    try {
      return Path.of(new URL(s).toURI()).toString();
    } catch (Exception e) {
      return s;
    }
  }

  private static String versionOf(URL servicesFile) {
    try {
      URLConnection c = servicesFile.openConnection();
      if (c instanceof JarURLConnection jar) {
        jar.setUseCaches(false);
        Manifest m = jar.getManifest();
        if (m != null) {
          Attributes a = m.getMainAttributes();
          String v = a.getValue("Bundle-Version");
          if (v == null) {
            v = a.getValue("Implementation-Version");
          }
          if (v != null) {
            return v;
          }
        }
      }
    } catch (IOException e) {
      // fall through: an unreadable manifest only costs the version
    }
    return "unknown";
  }
}
