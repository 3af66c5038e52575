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
    assertEquals(f + ":1: unknown space plugin 'enas-mikro'; available: tiny", e.getMessage());
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
  void aFieldSetTwiceIsAnErrorWithItsLineAlsoInsideOptions() throws Exception {
    Path top = write("seed: 1\nseed: 2\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(top));
    assertTrue(e.getMessage().startsWith(top + ":2:"), e.getMessage());
    assertTrue(e.getMessage().contains("field seed (enas.RunConfig.seed) is set twice"), e.getMessage());

    Path inAny = write("""
        space {
          id: "tiny"
          options { [type.googleapis.com/enas.Schedule] {
            epochs: 7
            epochs: 8
          } }
        }
        """);
    e = assertThrows(ConfigException.class, () -> loader.load(inAny));
    assertTrue(e.getMessage().startsWith(inAny + ":5:"), e.getMessage());
    assertTrue(e.getMessage().contains("field epochs (enas.Schedule.epochs) is set twice"), e.getMessage());

    Path block = write("space { id: \"tiny\" }\nspace { id: \"tiny\" }\n");
    e = assertThrows(ConfigException.class, () -> loader.load(block));
    assertTrue(e.getMessage().startsWith(block + ":2:") && e.getMessage().contains("set twice"), e.getMessage());
  }

  @Test
  void locationsFindFieldsInsideAPluginsOptions() throws Exception {
    ResolvedConfig rc = loader.load(write("""
        seed: 42
        space {
          id: "tiny"
          options { [type.googleapis.com/enas.Schedule] {
            lr_max: 0.5
            epochs: 7
          } }
        }
        schedule { epochs: 3 }
        """));
    ConfigLocations at = rc.locations();
    assertEquals(6, at.line("space.options.epochs", Schedule.getDescriptor()));
    assertEquals(4, at.line("space.options.lr_t0", Schedule.getDescriptor()), "unset: the options block");
    assertEquals(9, at.line("schedule.epochs", null));
    assertEquals(9, at.line("schedule.lr_t0", null), "unset: the schedule block");
    assertEquals(0, at.line("train.epochs", null), "no train block");
  }
}
