package dev.enas.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.Schedule;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.plugin.UnknownPluginException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private ConfigLoader loader;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    loader = new ConfigLoader(PluginHost.fromClasspath().registry());
  }

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("run.pbtxt"), text);
  }

  @Test
  void resolvesPluginsAndUnpacksTypedOptions() throws Exception {
    ResolvedConfig rc = loader.load(write("""
        seed: 42
        space {
          id: "tiny"
          options { [type.googleapis.com/enas.Schedule] { epochs: 7 } }
        }
        controller { id: "fixed" }
        """));
    assertEquals(42, rc.config().getSeed());
    assertEquals(7, ((Schedule) rc.plugin(PluginKind.SPACE).options()).getEpochs());
    assertEquals("fixed", rc.plugin(PluginKind.CONTROLLER).plugin().id());
    assertEquals(150, rc.config().getSchedule().getEpochs(), "schedule defaults are filled in");
  }

  @Test
  void syntaxErrorNamesFileLineAndColumn() throws Exception {
    Path f = write("seed: 1\nspace {\n  id: \"tiny\"\n  id2 \"x\"\n}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f));
    assertTrue(e.getMessage().startsWith(f + ":4:"), e.getMessage());
  }

  @Test
  void misspelledPluginOptionIsAnErrorWithItsLine() throws Exception {
    Path f = write("""
        space {
          id: "tiny"
          options { [type.googleapis.com/enas.Schedule] {
            epocs: 7
          } }
        }
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f));
    assertTrue(e.getMessage().startsWith(f + ":4:"), e.getMessage());
    assertTrue(e.getMessage().contains("epocs"), e.getMessage());
  }

  @Test
  void unknownPluginIdNamesTheAvailableIds() throws Exception {
    Path f = write("space { id: \"enas-mikro\" }\n");
    UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> loader.load(f));
    assertEquals("unknown space plugin 'enas-mikro'; available: tiny", e.getMessage());
  }

  @Test
  void optionsOfAnotherTypeAreRefusedWithTheExpectedType() throws Exception {
    Path f = write("controller { id: \"fixed\" options { [type.googleapis.com/enas.Schedule] { epochs: 1 } } }\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f));
    assertTrue(e.getMessage().contains("takes options of type google.protobuf.Empty"), e.getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir.resolve("none.pbtxt")));
    assertTrue(e.getMessage().contains("does not exist"));
  }

  @Test
  void badScheduleValueIsRefused() throws Exception {
    Path f = write("schedule { lr_max: 0.01 lr_min: 0.1 }\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f));
    assertTrue(e.getMessage().contains("lr_min <= lr_max"), e.getMessage());
  }
}
