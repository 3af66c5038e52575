package dev.enas.runtime.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.proto.Schedule;
import dev.enas.runtime.plugin.PluginProblem;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.testplugins.PluginJars;
import dev.enas.runtime.testplugins.ThrowingSpaceProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
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
      assertEquals(1, host.loadPlugins(plugins, r));

      assertEquals("1.2.3", r.get(PluginKind.SPACE, "tiny").version());
      assertTrue(r.get(PluginKind.SPACE, "tiny").source().endsWith("a-tiny.jar"));
      // loaded by the bundle's class loader, not the test's, yet usable through the SPI
      Object provider = r.get(PluginKind.SPACE, "tiny").provider();
      assertNotSame(TinySpaceProvider.class, provider.getClass());
      @SuppressWarnings("unchecked")
      SearchSpace space = ((SearchSpaceProvider<Schedule>) provider).create(Schedule.getDefaultInstance());
      assertEquals(3, space.schema().tokenCount());

      Map<String, String> problems = r.problems().stream()
          .collect(Collectors.toMap(p -> Path.of(p.source()).getFileName().toString(), PluginProblem::cause));
      assertEquals(5, problems.size(), r.problems().toString());
      assertTrue(problems.get("b-tiny-again.jar").contains("duplicate space plugin id 'tiny'"));
      assertTrue(problems.get("c-throwing.jar").contains("boom in constructor"));
      assertTrue(problems.get("d-missing-class.jar").contains("com.example.Gone"));
      assertTrue(problems.get("e-plain.jar").contains("not an OSGi bundle"));
      assertTrue(problems.get("f-corrupt.jar").contains("not a readable jar"));
    }
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
