package dev.enas.runtime.osgi;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The packages the host exports to plugin bundles through the system bundle: the SPI and the project's protos
 * (at the project's version, e.g. 0.1.0.SNAPSHOT), protobuf and SLF4J (at theirs). They are read off the jars (or class directories) the host loaded them
 * from, so the list never goes stale when a package is added.
 */
final class HostPackages {
  private HostPackages() {}

  /** The value for {@code org.osgi.framework.system.packages.extra}. */
  static String exports() {
    String protobufVersion = com.google.protobuf.RuntimeVersion.MAJOR + "." + com.google.protobuf.RuntimeVersion.MINOR
        + "." + com.google.protobuf.RuntimeVersion.PATCH;
    String slf4jVersion = versionOf(org.slf4j.Logger.class, "2.0.0");
    StringBuilder sb = new StringBuilder();
    // The API and the protos are versioned with the project: a plugin imports e.g. dev.enas.api.ir;version="[0.1,0.2)"
    String enasVersion = dev.enas.runtime.ProjectVersion.osgi();
    append(sb, packagesOf(dev.enas.api.plugin.Plugin.class), enasVersion);
    append(sb, packagesOf(dev.enas.proto.RunConfig.class), enasVersion);
    append(sb, packagesOf(com.google.protobuf.Message.class), protobufVersion);
    append(sb, packagesOf(org.slf4j.Logger.class), slf4jVersion);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Set<String> packages, String version) {
    for (String p : packages) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p);
      if (version != null) {
        sb.append(";version=\"").append(version).append('"');
      }
    }
  }

  private static String versionOf(Class<?> type, String fallback) {
    Package p = type.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null || !v.matches("\\d+(\\.\\d+){0,2}.*") ? fallback : v.replaceAll("^(\\d+(\\.\\d+){0,2}).*", "$1");
  }

  /** Every package with at least one class in the jar or directory {@code type} came from. */
  static Set<String> packagesOf(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    Set<String> packages = new TreeSet<>();
    if (cs == null) {
      packages.add(type.getPackageName());
      return packages;
    }
    try {
      Path location = Path.of(cs.getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.filter(f -> f.toString().endsWith(".class"))
              .map(f -> location.relativize(f.getParent() == null ? location : f.getParent()).toString())
              .filter(s -> !s.isEmpty() && !s.startsWith("META-INF"))
              .forEach(s -> packages.add(s.replace(java.io.File.separatorChar, '.')));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.lastIndexOf('/');
            if (name.endsWith(".class") && slash > 0 && !name.startsWith("META-INF/")) {
              packages.add(name.substring(0, slash).replace('/', '.'));
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      packages.add(type.getPackageName());
    }
    return packages;
  }
}
