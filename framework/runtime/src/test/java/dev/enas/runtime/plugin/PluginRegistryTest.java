package dev.enas.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.testplugins.FixedControllerProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

  @Test
  void duplicateIdIsRefusedWithAWarningNamingBothJars() {
    PluginRegistry r = new PluginRegistry();
    PluginDescriptor first = new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "a.jar", new TinySpaceProvider());
    assertTrue(r.register(first));
    assertFalse(r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "2", "b.jar", new TinySpaceProvider())));
    assertSame(first, r.get(PluginKind.SPACE, "tiny"));
    assertEquals(1, r.problems().size());
    PluginProblem p = r.problems().get(0);
    assertEquals("b.jar", p.source());
    assertTrue(p.cause().contains("duplicate space plugin id 'tiny'") && p.cause().contains("a.jar"), p.cause());
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
