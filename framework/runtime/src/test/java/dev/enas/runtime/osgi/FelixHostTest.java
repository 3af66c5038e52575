package dev.enas.runtime.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.proto.Schedule;
import dev.enas.runtime.ProjectVersion;
import dev.enas.runtime.plugin.PluginConflictException;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginProblem;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.testplugins.EmptyOptionsSpaceProvider;
import dev.enas.runtime.testplugins.PluginJars;
import dev.enas.runtime.testplugins.ThrowingSpaceProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real embedded Felix over a directory of jars written by the test. */
class FelixHostTest {
  private static final String SPACE_SPI = "dev.enas.api.space.SearchSpaceProvider";

  @Test
  void loadsGoodBundlesAndWarnsOncePerBrokenJar(@TempDir Path plugins) throws Exception {
    PluginJars.write(plugins.resolve("a-tiny.jar"), "test.tiny", Map.of(SPACE_SPI, TinySpaceProvider.class.getName()),
        TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("b-tiny-again.jar"), "test.tiny.again",
        Map.of(SPACE_SPI, TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("c-throwing.jar"), "test.throwing",
        Map.of(SPACE_SPI, ThrowingSpaceProvider.class.getName()), ThrowingSpaceProvider.class);
    PluginJars.write(plugins.resolve("d-missing-class.jar"), "test.missing", Map.of(SPACE_SPI, "com.example.Gone"));
    PluginJars.write(plugins.resolve("e-plain.jar"), null, Map.of(SPACE_SPI, TinySpaceProvider.class.getName()),
        TinySpaceProvider.class);
    Files.writeString(plugins.resolve("f-corrupt.jar"), "this is not a zip file");
    Files.writeString(plugins.resolve("readme.txt"), "ignored: not a jar");

    PluginRegistry r = new PluginRegistry();
    try (FelixHost host = FelixHost.start()) {
      assertEquals(2, host.loadPlugins(plugins, r));

      // two jars with one id: both kept, neither wins by file-name order, a run must name the jar
      assertEquals(1, r.conflicts().size());
      assertEquals(List.of("a-tiny.jar", "b-tiny-again.jar"), r.conflicts().get(0).jars());
      assertThrows(PluginConflictException.class, () -> r.get(PluginKind.SPACE, "tiny"));
      PluginDescriptor tiny = r.get(PluginKind.SPACE, "tiny", "a-tiny.jar");
      assertEquals("1.2.3", tiny.version());
      assertTrue(tiny.source().endsWith("a-tiny.jar"));
      // loaded by the bundle's class loader, not the test's, yet usable through the SPI
      Object provider = tiny.provider();
      assertNotSame(TinySpaceProvider.class, provider.getClass());
      @SuppressWarnings("unchecked")
      SearchSpace space = ((SearchSpaceProvider<Schedule>) provider).create(Schedule.getDefaultInstance());
      assertEquals(3, space.schema().tokenCount());

      Map<String, String> problems = r.problems().stream()
          .collect(Collectors.toMap(p -> Path.of(p.source()).getFileName().toString(), PluginProblem::cause));
      assertEquals(4, problems.size(), r.problems().toString());
      assertTrue(problems.get("c-throwing.jar").contains("boom in constructor"));
      assertTrue(problems.get("d-missing-class.jar").contains("com.example.Gone"));
      assertTrue(problems.get("e-plain.jar").contains("not an OSGi bundle"));
      assertFalse(problems.get("e-plain.jar").contains("META-INF/services"), "it has a services file");
      assertTrue(problems.get("f-corrupt.jar").contains("not a readable jar"));
    }
  }

  @Test
  void aJarWithoutServicesEntriesIsWarnedAboutByName(@TempDir Path plugins) throws Exception {
    PluginJars.write(plugins.resolve("no-services-bundle.jar"), "test.noservices", Map.of(), TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("no-services-plain.jar"), null, Map.of(), TinySpaceProvider.class);
    PluginRegistry r = new PluginRegistry();
    try (FelixHost host = FelixHost.start()) {
      assertEquals(0, host.loadPlugins(plugins, r));
    }
    Map<String, String> problems = r.problems().stream()
        .collect(Collectors.toMap(p -> Path.of(p.source()).getFileName().toString(), PluginProblem::cause));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get("no-services-bundle.jar").startsWith("has no META-INF/services entry for an enas plugin "
        + "interface, so it adds no plugin"), problems.toString());
    assertTrue(problems.get("no-services-plain.jar").contains("not an OSGi bundle")
        && problems.get("no-services-plain.jar").contains("has no META-INF/services entry"), problems.toString());
  }

  @Test
  void aBundleThatDoesNotImportProtobufIsToldSo(@TempDir Path plugins) throws Exception {
    PluginJars.write(plugins.resolve("no-protobuf.jar"), "test.noprotobuf",
        "dev.enas.api.ir,dev.enas.api.schema,dev.enas.api.space,dev.enas.api.plugin,dev.enas.proto",
        Map.of(SPACE_SPI, EmptyOptionsSpaceProvider.class.getName()), EmptyOptionsSpaceProvider.class);
    PluginRegistry r = new PluginRegistry();
    try (FelixHost host = FelixHost.start()) {
      assertEquals(0, host.loadPlugins(plugins, r));
    }
    assertEquals(1, r.problems().size(), r.problems().toString());
    String cause = r.problems().get(0).cause();
    assertTrue(cause.contains("NoClassDefFoundError: com/google/protobuf/"), cause);
    assertTrue(cause.contains("does not import package com.google.protobuf, which the host exports: add "
        + "com.google.protobuf to Import-Package in its META-INF/MANIFEST.MF"), cause);
  }

  @Test
  void theApiIsExportedWithTheProjectVersionSoPluginsCanImportARange(@TempDir Path plugins) throws Exception {
    assertTrue(HostPackages.exports().contains("dev.enas.api.space;version=\"" + ProjectVersion.osgi() + "\""),
        HostPackages.exports());
    assertTrue(HostPackages.exports().contains("dev.enas.proto;version=\"" + ProjectVersion.osgi() + "\""),
        HostPackages.exports());
    assertTrue(ProjectVersion.osgi().startsWith("0.1."), ProjectVersion.osgi());
    String range = ";version=\"[0.1,0.2)\"";
    PluginJars.write(plugins.resolve("ranged.jar"), "test.ranged",
        "com.google.protobuf;version=\"[4,5)\",dev.enas.api.ir" + range + ",dev.enas.api.schema" + range
            + ",dev.enas.api.space" + range + ",dev.enas.api.plugin" + range + ",dev.enas.proto" + range,
        Map.of(SPACE_SPI, TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("too-new.jar"), "test.toonew",
        PluginJars.IMPORTS.replace("dev.enas.api.space", "dev.enas.api.space;version=\"[0.2,1)\""),
        Map.of(SPACE_SPI, TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    PluginRegistry r = new PluginRegistry();
    try (FelixHost host = FelixHost.start()) {
      assertEquals(1, host.loadPlugins(plugins, r), r.problems().toString());
    }
    assertTrue(r.get(PluginKind.SPACE, "tiny").source().endsWith("ranged.jar"));
    assertEquals(1, r.problems().size());
    assertTrue(r.problems().get(0).source().endsWith("too-new.jar"));
    assertTrue(r.problems().get(0).cause().contains("dev.enas.api.space"), r.problems().get(0).cause());
  }

  @Test
  void aMissingDirectoryIsAProblemNotACrash(@TempDir Path tmp) throws Exception {
    PluginRegistry r = new PluginRegistry();
    try (FelixHost host = FelixHost.start()) {
      assertEquals(0, host.loadPlugins(tmp.resolve("nope"), r));
    }
    assertEquals(1, r.problems().size());
  }
}
