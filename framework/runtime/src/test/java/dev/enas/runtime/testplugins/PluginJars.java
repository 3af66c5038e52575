package dev.enas.runtime.testplugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes plugin jars for tests: chosen classes from the test classpath, services files and a manifest. */
public final class PluginJars {
  private PluginJars() {}

  /**
   * @param bundleName Bundle-SymbolicName, or null for a plain (non-bundle) jar
   * @param services provider interface name -> provider class name
   */
  public static Path write(Path jar, String bundleName, Map<String, String> services, Class<?>... classes)
      throws IOException {
    return write(jar, bundleName, IMPORTS, services, classes);
  }

  /** The Import-Package of {@link #write(Path, String, Map, Class...)}: every package the test plugins use. */
  public static final String IMPORTS = "com.google.protobuf,dev.enas.api.controller,dev.enas.api.ir,"
      + "dev.enas.api.schema,dev.enas.api.space,dev.enas.api.plugin,dev.enas.proto";

  /** As {@link #write(Path, String, Map, Class...)}, with this Import-Package header. */
  public static Path write(Path jar, String bundleName, String imports, Map<String, String> services,
      Class<?>... classes) throws IOException {
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (bundleName != null) {
      a.putValue("Bundle-ManifestVersion", "2");
      a.putValue("Bundle-SymbolicName", bundleName);
      a.putValue("Bundle-Version", "1.2.3");
      a.putValue("Import-Package", imports);
    }
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      for (Map.Entry<String, String> e : services.entrySet()) {
        j.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
        j.write((e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
      for (Class<?> c : classes) {
        addClass(j, c);
      }
    }
    return jar;
  }

  private static void addClass(JarOutputStream j, Class<?> c) throws IOException {
    String path = c.getName().replace('.', '/') + ".class";
    j.putNextEntry(new JarEntry(path));
    try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
      in.transferTo(j);
    }
    j.closeEntry();
    // anonymous and nested classes travel with their outer class
    for (int i = 1; ; i++) {
      String inner = c.getName().replace('.', '/') + "$" + i + ".class";
      try (InputStream in = c.getClassLoader().getResourceAsStream(inner)) {
        if (in == null) {
          break;
        }
        j.putNextEntry(new JarEntry(inner));
        in.transferTo(j);
        j.closeEntry();
      }
    }
  }
}
