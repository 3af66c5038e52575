package dev.enas.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.testplugins.FixedControllerProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

  @Test
  void twoJarsWithOneIdAreAConflictThatNamesBothAndLetsNeitherWin() {
    PluginRegistry r = new PluginRegistry();
    PluginDescriptor builtIn = new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/d/plugins/enas-tiny.jar",
        new TinySpaceProvider());
    PluginDescriptor dropped = new PluginDescriptor(PluginKind.SPACE, "tiny", "2", "/d/plugins/aaa-shadow.jar",
        new TinySpaceProvider());
    assertTrue(r.register(builtIn));
    assertTrue(r.register(dropped), "the second jar is kept, not silently dropped or preferred");
    assertTrue(r.problems().isEmpty(), "a conflict is not blamed on either jar: " + r.problems());
    assertEquals(List.of(builtIn, dropped), r.all());
    assertTrue(r.inConflict(builtIn) && r.inConflict(dropped));

    List<PluginConflict> conflicts = r.conflicts();
    assertEquals(1, conflicts.size());
    assertEquals(List.of("enas-tiny.jar", "aaa-shadow.jar"), conflicts.get(0).jars());
    assertEquals("2 plugin jars provide space 'tiny': enas-tiny.jar, aaa-shadow.jar; a run that uses it must say "
        + "which jar wins, e.g. space { id: \"tiny\" jar: \"aaa-shadow.jar\" } in its config, or one of the jars must "
        + "go from the plugins directory", conflicts.get(0).describe());

    PluginConflictException e = assertThrows(PluginConflictException.class, () -> r.get(PluginKind.SPACE, "tiny"));
    assertTrue(e instanceof ConfigException, "a config error: exit 2");
    assertTrue(e.getMessage().contains("enas-tiny.jar") && e.getMessage().contains("aaa-shadow.jar"), e.getMessage());
    assertEquals(List.of("tiny"), r.ids(PluginKind.SPACE));
  }

  @Test
  void theConfigsJarPicksOneProviderByFileNameOrPath() {
    PluginRegistry r = new PluginRegistry();
    PluginDescriptor builtIn = new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/d/plugins/enas-tiny.jar",
        new TinySpaceProvider());
    PluginDescriptor dropped = new PluginDescriptor(PluginKind.SPACE, "tiny", "2", "/d/plugins/aaa-shadow.jar",
        new TinySpaceProvider());
    r.register(builtIn);
    r.register(dropped);
    assertSame(builtIn, r.get(PluginKind.SPACE, "tiny", "enas-tiny.jar"));
    assertSame(dropped, r.get(PluginKind.SPACE, "tiny", "aaa-shadow.jar"));
    assertSame(dropped, r.get(PluginKind.SPACE, "tiny", "/d/plugins/aaa-shadow.jar"));
    ConfigException e = assertThrows(ConfigException.class, () -> r.get(PluginKind.SPACE, "tiny", "other.jar"));
    assertEquals("space plugin 'tiny' does not come from a jar named 'other.jar'; it comes from enas-tiny.jar, "
        + "aaa-shadow.jar", e.getMessage());
  }

  @Test
  void aJarNamedForAnIdWithoutConflictMustMatch() {
    PluginRegistry r = new PluginRegistry();
    PluginDescriptor only = new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/d/a.jar", new TinySpaceProvider());
    r.register(only);
    assertSame(only, r.get(PluginKind.SPACE, "tiny", "a.jar"));
    assertSame(only, r.get(PluginKind.SPACE, "tiny", ""));
    assertThrows(ConfigException.class, () -> r.get(PluginKind.SPACE, "tiny", "b.jar"));
  }

  @Test
  void aConflictLeavesEveryOtherIdUsable() {
    PluginRegistry r = new PluginRegistry();
    r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "a.jar", new TinySpaceProvider()));
    r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "b.jar", new TinySpaceProvider()));
    PluginDescriptor other = new PluginDescriptor(PluginKind.CONTROLLER, "fixed", "1", "c.jar",
        new FixedControllerProvider());
    r.register(other);
    assertSame(other, r.get(PluginKind.CONTROLLER, "fixed"));
    assertFalse(r.inConflict(other));
  }

  @Test
  void theSameProviderFromTheSameJarTwiceIsOnePlugin() {
    PluginRegistry r = new PluginRegistry();
    assertTrue(r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "a.jar", new TinySpaceProvider())));
    assertFalse(r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "a.jar", new TinySpaceProvider())));
    assertTrue(r.conflicts().isEmpty());
    assertEquals(1, r.all().size());
  }

  @Test
  void twoJarsWithTheSameFileNameAreNamedByPath() {
    PluginConflict c = new PluginConflict(PluginKind.SPACE, "tiny", List.of(
        new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/x/a.jar", new TinySpaceProvider()),
        new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/y/a.jar", new TinySpaceProvider())));
    assertEquals(List.of("/x/a.jar", "/y/a.jar"), c.jars());
  }

  @Test
  void sameIdOfAnotherKindIsNoDuplicate() {
    PluginRegistry r = new PluginRegistry();
    r.register(new PluginDescriptor(PluginKind.SPACE, "x", "1", "a.jar", new TinySpaceProvider()));
    assertTrue(r.register(new PluginDescriptor(PluginKind.CONTROLLER, "x", "1", "b.jar", new FixedControllerProvider())));
    assertTrue(r.problems().isEmpty());
  }

  @Test
  void unknownIdNamesTheIdsAvailableForThatKind() {
    PluginRegistry r = new PluginRegistry();
    r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "a.jar", new TinySpaceProvider()));
    r.register(new PluginDescriptor(PluginKind.SPACE, "alpha", "1", "a.jar", new TinySpaceProvider()));
    UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> r.get(PluginKind.SPACE, "tinny"));
    assertEquals("unknown space plugin 'tinny'; available: alpha, tiny", e.getMessage());
  }
}
