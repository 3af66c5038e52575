package dev.enas.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.Schedule;
import dev.enas.runtime.plugin.PluginConflictException;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.testplugins.FixedControllerProvider;
import dev.enas.runtime.testplugins.TinySpaceProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A config that uses an id two jars provide must name the jar in the plugin block ({@code jar:}). */
class PluginJarChoiceTest {
  private static final Path SOURCE = Path.of("run.pbtxt");
  private ConfigLoader loader;

  @BeforeEach
  void twoJarsProvideTiny() {
    PluginRegistry r = new PluginRegistry();
    r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "1", "/p/enas-tiny.jar", new TinySpaceProvider()));
    r.register(new PluginDescriptor(PluginKind.SPACE, "tiny", "2", "/p/shadow.jar", new TinySpaceProvider()));
    r.register(new PluginDescriptor(PluginKind.CONTROLLER, "fixed", "1", "/p/fixed.jar", new FixedControllerProvider()));
    loader = new ConfigLoader(r);
  }

  private ResolvedConfig load(String text) {
    return loader.resolve(SOURCE, loader.parse(SOURCE.toString(), text));
  }

  @Test
  void withoutAJarTheConfigIsRefusedNamingBothJars() {
    PluginConflictException e = assertThrows(PluginConflictException.class, () -> load("space { id: \"tiny\" }"));
    assertTrue(e.getMessage().contains("enas-tiny.jar, shadow.jar"), e.getMessage());
    assertTrue(e.getMessage().contains("space { id: \"tiny\" jar: \"shadow.jar\" }"), e.getMessage());
  }

  @Test
  void theJarFieldPicksTheProviderAndItsOptionsStillParse() {
    ResolvedConfig rc = load("""
        space {
          id: "tiny"
          jar: "shadow.jar"
          options { [type.googleapis.com/enas.Schedule] { epochs: 4 } }
        }
        controller { id: "fixed" }
        """);
    assertEquals("/p/shadow.jar", rc.plugin(PluginKind.SPACE).plugin().source());
    assertEquals(4, ((Schedule) rc.plugin(PluginKind.SPACE).options()).getEpochs());
    assertEquals("/p/enas-tiny.jar", load("space { id: \"tiny\" jar: \"enas-tiny.jar\" }").plugin(PluginKind.SPACE)
        .plugin().source());
  }

  @Test
  void aConflictInOneKindDoesNotStopAConfigThatDoesNotUseIt() {
    ResolvedConfig rc = load("controller { id: \"fixed\" }");
    assertEquals("fixed", rc.plugin(PluginKind.CONTROLLER).plugin().id());
  }

  @Test
  void aJarThatDoesNotProvideTheIdIsAConfigError() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("space { id: \"tiny\" jar: \"x.jar\" }"));
    assertTrue(e.getMessage().contains("does not come from a jar named 'x.jar'"), e.getMessage());
  }
}
