package dev.enas.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the third-party search space under {@code src/test/thirdparty/stripes} the way docs/writing-a-plugin.md
 * says, with the JDK's javac and jar (no Maven), against the jars of an unpacked distribution's {@code lib/}:
 *
 * <pre>
 * javac --release 17 -cp "$ENAS_HOME/lib/enas-api-*.jar:$ENAS_HOME/lib/protobuf-java-*.jar" -d classes src/.../*.java
 * jar --create --file stripes-space-1.0.0.jar --manifest MANIFEST.MF -C classes . -C resources .
 * </pre>
 */
final class ThirdPartyPlugin {
  private ThirdPartyPlugin() {}

  /** The plugin's sources in the test tree: MANIFEST.MF, src/ and resources/META-INF/services/. */
  static Path sources() {
    Path p = Path.of(System.getProperty("basedir", "."), "src/test/thirdparty/stripes");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("no plugin sources at " + p.toAbsolutePath());
    }
    return p;
  }

  /** Compiles the stripes space against {@code dist}'s lib/ and writes the plugin jar to {@code jar}. */
  static Path build(Distribution dist, Path workDir, Path jar) throws IOException {
    Path src = sources();
    Path classes = Files.createDirectories(workDir.resolve("classes"));
    String cp = libJar(dist, "enas-api-") + java.io.File.pathSeparator + libJar(dist, "protobuf-java-");
    List<String> args = new ArrayList<>(List.of("--release", "17", "-cp", cp, "-d", classes.toString()));
    try (Stream<Path> files = Files.walk(src.resolve("src"))) {
      files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> args.add(f.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    if (javac.run(null, log, log, args.toArray(new String[0])) != 0) {
      throw new IllegalStateException("javac failed on the stripes plugin:\n" + log);
    }
    java.util.spi.ToolProvider jarTool = java.util.spi.ToolProvider.findFirst("jar")
        .orElseThrow(() -> new IllegalStateException("no jar tool in this JDK"));
    ByteArrayOutputStream jarLog = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(jarLog, true);
    int rc = jarTool.run(ps, ps, "--create", "--file", jar.toString(), "--manifest", src.resolve("MANIFEST.MF").toString(),
        "-C", classes.toString(), ".", "-C", src.resolve("resources").toString(), ".");
    if (rc != 0) {
      throw new IllegalStateException("jar failed on the stripes plugin:\n" + jarLog);
    }
    return jar;
  }

  /** The one jar in the distribution's lib/ whose name starts with {@code prefix}. */
  static String libJar(Distribution dist, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dist.home.resolve("lib"))) {
      List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      if (found.size() != 1) {
        throw new IllegalStateException("expected one " + prefix + "*.jar in lib/, found " + found);
      }
      return found.get(0).toString();
    }
  }
}
