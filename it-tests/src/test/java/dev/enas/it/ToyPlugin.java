package dev.enas.it;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds, from source, a small search-space plugin that is not part of the distribution: the way a user
 * writes one against the published API jar and drops it into {@code plugins/}.
 */
final class ToyPlugin {
  private ToyPlugin() {}

  static final String SOURCE = """
      package com.example.toy;

      import com.google.protobuf.Empty;
      import dev.enas.api.ir.*;
      import dev.enas.api.schema.*;
      import dev.enas.api.space.*;
      import java.util.List;

      /** A one-layer space: pick a 3x3 or 5x5 convolution. */
      public final class ToySpaceProvider implements SearchSpaceProvider<Empty> {
        public String id() { return "toy-space"; }
        public Empty defaultOptions() { return Empty.getDefaultInstance(); }
        public String summary() { return "a dropped-in test space"; }
        public SearchSpace create(Empty options) {
          return new SearchSpace() {
            public TaskKind task() { return TaskKind.IMAGE_CLASSIFICATION; }
            public DecisionSchema schema() {
              return new DecisionSchema(List.of(new ChoicePoint.Layer("op", List.of("conv3", "conv5"), "ops", true)), 0);
            }
            public Graph supernet() {
              GraphBuilder b = new GraphBuilder();
              String x = b.input("x", "images", TensorShape.of(28, 28, 1));
              List<Graph> candidates = new java.util.ArrayList<>();
              for (int k : new int[] {3, 5}) {
                GraphBuilder c = new GraphBuilder();
                c.output(c.op("conv", Op.Conv2d.of(k, 8, ParamKey.of("op/conv" + k)), c.input("in", "in", TensorShape.of(28, 28, 1))));
                candidates.add(c.build());
              }
              String op = b.layerChoice("op", "op", List.of(x), List.of("conv3", "conv5"), candidates);
              b.output(b.op("logits", new Op.Dense(10, true, ParamKey.of("head")), b.op("gap", new Op.GlobalAvgPool(), op)));
              return b.build();
            }
            public String describe(Architecture a) { return "toy with op " + a.tokens()[0]; }
          };
        }
      }
      """;

  /** Compiles the toy plugin and writes it as a bundle jar to {@code jar}. */
  static Path build(Path workDir, Path jar) throws IOException {
    return build(workDir, jar, "toy-space", "com.example.toy", "0.0.7", true);
  }

  /**
   * Compiles the toy plugin with another id and writes it to {@code jar} as bundle {@code bundleName}; without
   * {@code services} the jar has no META-INF/services entry, so it names no provider.
   */
  static Path build(Path workDir, Path jar, String id, String bundleName, String version, boolean services)
      throws IOException {
    Path src = workDir.resolve("src/com/example/toy/ToySpaceProvider.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, SOURCE.replace("\"toy-space\"", "\"" + id + "\""));
    Path classes = workDir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = jarOf(dev.enas.api.plugin.Plugin.class) + File.pathSeparator + jarOf(com.google.protobuf.Message.class);
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", cp, "--release", "17", src.toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed on the toy plugin");
    }
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", bundleName);
    a.putValue("Bundle-Version", version);
    a.putValue("Import-Package", "com.google.protobuf,dev.enas.api.ir,dev.enas.api.schema,dev.enas.api.space,dev.enas.api.plugin");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
      if (services) {
        j.putNextEntry(new JarEntry("META-INF/services/dev.enas.api.space.SearchSpaceProvider"));
        j.write("com.example.toy.ToySpaceProvider\n".getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
      List<Path> files;
      try (Stream<Path> s = Files.walk(classes)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }

  private static String jarOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
