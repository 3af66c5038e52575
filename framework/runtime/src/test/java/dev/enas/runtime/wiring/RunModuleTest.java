package dev.enas.runtime.wiring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.enas.api.controller.Controller;
import dev.enas.api.space.SearchSpace;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunModuleTest {
  private final ConfigLoader loader = new ConfigLoader(PluginHost.fromClasspath().registry());

  private ResolvedConfig config(String text) {
    return loader.resolve(Path.of("test.pbtxt"), loader.parse("test.pbtxt", text));
  }

  @Test
  void wiresThePluginsTheConfigNames() {
    Injector injector = Guice.createInjector(new RunModule(config("space { id: \"tiny\" } controller { id: \"fixed\" }")));
    SearchSpace space = injector.getInstance(SearchSpace.class);
    assertSame(space, injector.getInstance(SearchSpace.class), "one space per run");
    Controller c = injector.getInstance(Controller.class);
    assertArrayEquals(new int[] {0, 0, 0}, c.sample().architecture().tokens());
  }

  @Test
  void optionsAPluginRejectsBecomeAConfigError() {
    Injector injector = Guice.createInjector(new RunModule(config(
        "space { id: \"tiny\" options { [type.googleapis.com/enas.Schedule] { epochs: -1 } } }")));
    ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(SearchSpace.class));
    assertTrue(e.getCause() instanceof ConfigException);
    assertTrue(e.getCause().getMessage().contains("space 'tiny' rejected its options"), e.getCause().getMessage());
  }

  @Test
  void derivedSeedsDifferByPurposeAndAreStable() {
    assertNotEquals(Seeds.derive(1, "controller"), Seeds.derive(1, "backend"));
    assertNotEquals(Seeds.derive(1, "controller"), Seeds.derive(2, "controller"));
    assertTrue(Seeds.derive(1, "controller") == Seeds.derive(1, "controller"));
  }
}
