package dev.enas.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.SweepConfig;
import dev.enas.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepConfigsTest {
  @TempDir
  Path tmp;

  @Test
  void readsAConfigAndResolvesTheBaseAgainstItsDirectory() throws Exception {
    Path f = Files.writeString(tmp.resolve("s.pbtxt"), """
        name: "s"
        base_config: "conf/base.pbtxt"
        axis { path: "seed" values: "1" values: "2" }
        derive: true
        retrain { epochs: 2 }
        """);
    SweepConfig c = SweepConfigs.read(f);
    assertEquals(tmp.resolve("conf/base.pbtxt").toString(), c.getBaseConfig());
    assertEquals(2, c.getAxis(0).getValuesCount());
    assertEquals(4, SweepConfigs.maxAttempts(c));
  }

  @Test
  void archFromAFileNextToTheConfigAndTheEmptyArchitecture() throws Exception {
    Files.writeString(tmp.resolve("cell.txt"), "0 2 1 0\n");
    Path f = Files.writeString(tmp.resolve("s.pbtxt"), "base_config: \"b\" arch: \"@cell.txt\" retrain { epochs: 1 }");
    assertEquals("0 2 1 0", SweepConfigs.read(f).getArch());
    Path empty = Files.writeString(tmp.resolve("e.pbtxt"), "base_config: \"b\" arch: \"\" retrain { epochs: 1 }");
    assertTrue(SweepConfigs.read(empty).hasArch(), "an empty arch is set: a space with nothing to choose");
    Path missing = Files.writeString(tmp.resolve("m.pbtxt"), "base_config: \"b\" arch: \"@no.txt\" retrain { epochs: 1 }");
    ConfigException e = assertThrows(ConfigException.class, () -> SweepConfigs.read(missing));
    assertTrue(e.getMessage().contains("no.txt"), e.getMessage());
  }

  @Test
  void aTypoIsAnErrorWithItsLine() throws Exception {
    Path f = Files.writeString(tmp.resolve("s.pbtxt"), "base_config: \"b\"\naxes { path: \"seed\" }\n");
    ConfigException e = assertThrows(ConfigException.class, () -> SweepConfigs.read(f));
    assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
  }

  @Test
  void refusesWhatCannotRunWithTheFix() {
    assertMessage("base_config is missing", "axis { path: \"seed\" values: \"1\" }");
    assertMessage("axis seed has no values", "base_config: \"b\" axis { path: \"seed\" }");
    assertMessage("axis seed is given twice",
        "base_config: \"b\" axis { path: \"seed\" values: \"1\" } axis { path: \"seed\" values: \"2\" }");
    assertMessage("repeats a value", "base_config: \"b\" axis { path: \"seed\" values: \"1\" values: \"1\" }");
    assertMessage("retrain needs derive: true", "base_config: \"b\" retrain { epochs: 1 }");
    assertMessage("nothing to derive", "base_config: \"b\" arch: \"0 1\" derive: true retrain { epochs: 1 }");
    assertMessage("arch needs retrain", "base_config: \"b\" arch: \"0 1\"");
    assertMessage("threads_per_trial must be positive", "base_config: \"b\" threads_per_trial: -1");
  }

  private static void assertMessage(String part, String text) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SweepConfigs.check(SweepConfigs.parse("s.pbtxt", text), "s.pbtxt"));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
