package dev.enas.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.testplugins.PluginJars;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar put in lib/ (the host's class path) instead of plugins/ is not ignored without a word. */
class MisplacedPluginsTest {

  @Test
  void aPluginJarOnTheHostClassPathIsWarnedAboutWithWhereItShouldGo(@TempDir Path tmp) throws Exception {
    Path lib = tmp.resolve("lib");
    java.nio.file.Files.createDirectories(lib);
    Path jar = PluginJars.write(lib.resolve("my-space.jar"), "my.space",
        Map.of("dev.enas.api.space.SearchSpaceProvider", TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    Path library = PluginJars.write(lib.resolve("library.jar"), null, Map.of());
    PluginRegistry r = new PluginRegistry();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL(), library.toUri().toURL()}, null)) {
      assertEquals(1, MisplacedPlugins.warn(cl, tmp.resolve("plugins"), r));
    }
    assertEquals(1, r.problems().size());
    PluginProblem p = r.problems().get(0);
    assertEquals(jar.toString(), p.source());
    assertTrue(p.cause().contains("META-INF/services/dev.enas.api.space.SearchSpaceProvider")
        && p.cause().contains("move it to the plugins directory " + tmp.resolve("plugins")), p.cause());
  }

  @Test
  void classDirectoriesAreNotJarsInLib() {
    // the test class path lists providers from target/test-classes: a directory, never a misplaced jar
    assertEquals(0, MisplacedPlugins.warn(getClass().getClassLoader(), Path.of("plugins"), new PluginRegistry()));
  }
}
