package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every config the distribution ships in conf/ parses and resolves against the shipped plugins. */
class ShippedConfigsIT {
  @TempDir
  Path tmp;

  @Test
  void everyShippedConfigValidates() throws Exception {
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    List<Path> configs;
    try (Stream<Path> s = Files.list(dist.home.resolve("conf"))) {
      configs = s.filter(p -> p.toString().endsWith(".pbtxt")).sorted().toList();
    }
    assertTrue(configs.size() >= 5, "expected the quickstart, baseline and paper configs, found " + configs);
    for (Path c : configs) {
      Distribution.Result r = dist.run(tmp, 120, "validate", c.toString());
      assertEquals(0, r.exitCode(), c + "\n" + r);
      assertTrue(r.out().contains(": ok"), r.toString());
    }
  }

  @Test
  void aTypoInAShippedConfigIsReportedWithItsLine() throws Exception {
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path good = dist.home.resolve("conf/micro-fashion-mnist.pbtxt");
    Path bad = tmp.resolve("typo.pbtxt");
    Files.writeString(bad, Files.readString(good).replace("num_cells: 1", "num_cels: 1"));
    Distribution.Result r = dist.run(tmp, 120, "validate", bad.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().matches("(?s).*typo\\.pbtxt:\\d+:\\d+: .*num_cels.*"), r.toString());
  }
}
