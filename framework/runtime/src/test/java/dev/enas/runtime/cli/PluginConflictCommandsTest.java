package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.runtime.testplugins.FixedControllerProvider;
import dev.enas.runtime.testplugins.PluginJars;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two jars in a plugins directory that provide one space id, and a jar with no services entry, through the CLI. */
class PluginConflictCommandsTest {
  private static final String SPACE_SPI = "dev.enas.api.space.SearchSpaceProvider";
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir
  Path plugins;

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @BeforeEach
  void twoJarsProvideTinyAndOneProvidesNothing() throws Exception {
    PluginJars.write(plugins.resolve("enas-tiny-1.0.jar"), "test.tiny",
        Map.of(SPACE_SPI, TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("aaa-shadow.jar"), "test.shadow",
        Map.of(SPACE_SPI, TinySpaceProvider.class.getName()), TinySpaceProvider.class);
    PluginJars.write(plugins.resolve("fixed.jar"), "test.fixed",
        Map.of("dev.enas.api.controller.ControllerProvider", FixedControllerProvider.class.getName()),
        FixedControllerProvider.class);
    PluginJars.write(plugins.resolve("nothing-here.jar"), "test.nothing", Map.of(), TinySpaceProvider.class);
  }

  @Test
  void pluginsListsBothProvidersMarksTheConflictAndPrintsSummaries() {
    assertEquals(0, run("plugins", "--plugins-dir", plugins.toString()));
    String o = out.toString();
    List<String> conflicted = o.lines().filter(l -> l.startsWith("space") && l.contains(" tiny ")).toList();
    assertEquals(2, conflicted.size(), o);
    assertTrue(conflicted.get(0).contains("aaa-shadow.jar") && conflicted.get(0).endsWith("CONFLICT"), o);
    assertTrue(conflicted.get(1).contains("enas-tiny-1.0.jar") && conflicted.get(1).endsWith("CONFLICT"), o);
    assertTrue(o.lines().anyMatch(l -> l.startsWith("controller  fixed") && !l.contains("CONFLICT")), o);
    assertTrue(o.contains("\n            a two-choice test space\n"), "each plugin's summary():\n" + o);
    assertTrue(o.contains("CONFLICT: 2 plugin jars provide space 'tiny': aaa-shadow.jar, enas-tiny-1.0.jar"), o);
    assertTrue(o.contains("1 plugin jar problem(s)"), o);
  }

  @Test
  void aCommandThatUsesTheIdRefusesWithExit2NamingBothJarsUnlessTheJarIsNamed() {
    assertEquals(2, run("space", "describe", "tiny", "--plugins-dir", plugins.toString()));
    assertTrue(err.toString().contains("2 plugin jars provide space 'tiny': aaa-shadow.jar, enas-tiny-1.0.jar; say "
        + "which one with --space-jar enas-tiny-1.0.jar"), err.toString());

    assertEquals(0, run("space", "describe", "tiny", "--space-jar", "enas-tiny-1.0.jar", "--plugins-dir",
        plugins.toString()));
    assertTrue(out.toString().contains("distinct architectures: 8"), out.toString());

    assertEquals(2, run("space", "describe", "tiny", "--space-jar", "nope.jar", "--plugins-dir", plugins.toString()));
    assertTrue(err.toString().contains("does not come from a jar named 'nope.jar'"), err.toString());
  }
}
