package dev.enas.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.testplugins.PluginJars;
import dev.enas.runtime.testplugins.ThrowingSpaceProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathDiscoveryTest {
  private static final String SPACE_SPI = "dev.enas.api.space.SearchSpaceProvider";

  @Test
  void findsTheTestPluginsOnTheClasspath() {
    PluginRegistry r = new PluginRegistry();
    ClasspathDiscovery.ofContextClassLoader().discover(r);
    assertEquals("tiny", r.get(PluginKind.SPACE, "tiny").id());
    assertEquals("fixed", r.get(PluginKind.CONTROLLER, "fixed").id());
    assertTrue(r.problems().isEmpty(), r.problems().toString());
  }

  @Test
  void brokenProvidersBecomeOneWarningEachAndTheRestStillLoad(@TempDir Path dir) throws Exception {
    Path missing = PluginJars.write(dir.resolve("missing.jar"), null, Map.of(SPACE_SPI, "com.example.Gone"));
    Path throwing = PluginJars.write(dir.resolve("throwing.jar"), null,
        Map.of(SPACE_SPI, ThrowingSpaceProvider.class.getName()));
    Path wrongType = PluginJars.write(dir.resolve("wrongtype.jar"), null, Map.of(SPACE_SPI, String.class.getName()));
    try (URLClassLoader cl = new URLClassLoader(
        new URL[] {missing.toUri().toURL(), throwing.toUri().toURL(), wrongType.toUri().toURL()},
        getClass().getClassLoader())) {
      PluginRegistry r = new PluginRegistry();
      new ClasspathDiscovery(cl).discover(r);

      Map<String, String> bySource = r.problems().stream()
          .collect(Collectors.toMap(p -> Path.of(p.source()).getFileName().toString(), PluginProblem::cause));
      assertEquals(3, r.problems().size(), r.problems().toString());
      assertTrue(bySource.get("missing.jar").contains("com.example.Gone") && bySource.get("missing.jar").contains("missing"));
      assertTrue(bySource.get("throwing.jar").contains("boom in constructor"), bySource.get("throwing.jar"));
      assertTrue(bySource.get("wrongtype.jar").contains("does not implement"), bySource.get("wrongtype.jar"));
      // the good plugins on the parent classpath are still there
      assertEquals(List.of("tiny"), r.ids(PluginKind.SPACE));
      assertTrue(r.get(PluginKind.SPACE, "tiny").provider() instanceof TinySpaceProvider);
    }
  }
}
