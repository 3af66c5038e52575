package dev.enas.sweep.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.SweepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every sweep config the distribution ships (conf/sweep-*.pbtxt) reads and passes the checks, its base beside it. */
class ShippedSweepConfigsTest {
  private static final Path CONF = Path.of("../../distribution/src/conf");

  @Test
  void everyShippedSweepConfigReadsAndItsBaseConfigShipsToo() throws Exception {
    List<Path> sweeps;
    try (Stream<Path> s = Files.list(CONF)) {
      sweeps = s.filter(p -> p.getFileName().toString().matches("sweep-.*\\.pbtxt")).sorted().toList();
    }
    assertTrue(sweeps.size() >= 3, "found " + sweeps);
    for (Path f : sweeps) {
      SweepConfig c = SweepConfigs.read(f);
      assertTrue(Files.isRegularFile(Path.of(c.getBaseConfig())), f + ": base config " + c.getBaseConfig());
    }
  }
}
