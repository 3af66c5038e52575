package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config the distribution ships in conf/ passes enas validate against the shipped plugins once its data is
 * where it says (here small stand-ins in the real formats); as shipped, without the data, the only complaint is
 * the dataset's missing path, as one line with exit 2.
 */
class ShippedConfigsIT {
  @TempDir
  Path tmp;

  @Test
  void everyShippedConfigValidates() throws Exception {
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    List<Path> configs;
    try (Stream<Path> s = Files.list(dist.home.resolve("conf"))) {
      // run configs only: sweep-*.pbtxt are sweep configs (enas sweep), whose base config is among these
      configs = s.filter(p -> p.toString().endsWith(".pbtxt") && !p.getFileName().toString().startsWith("sweep-"))
          .sorted().toList();
    }
    assertTrue(configs.size() >= 5, "expected the quickstart, baseline and paper configs, found " + configs);
    ShippedData data = ShippedData.write(tmp.resolve("data"));
    for (Path c : configs) {
      Path local = Files.writeString(tmp.resolve(c.getFileName()), data.adapt(Files.readString(c)));
      Distribution.Result r = dist.run(tmp, 120, "validate", local.toString());
      assertEquals(0, r.exitCode(), c + "\n" + r);
      assertTrue(r.out().contains(": ok"), r.toString());
    }
  }

  @Test
  void aShippedConfigWithoutItsDataNamesTheDatasetPath() throws Exception {
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path c = dist.home.resolve("conf/micro-cifar10-paper.pbtxt");
    Distribution.Result r = dist.run(tmp, 120, "validate", c.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().matches("(?s)error: \\S*micro-cifar10-paper\\.pbtxt:\\d+: dataset 'cifar10' cannot read its data "
        + "\\(option path\\): .*/path/to/cifar-10-batches-bin.*does not exist\\s*"), r.toString());
    assertTrue(!r.err().contains("java.") && !r.err().contains("Exception"), r.toString());
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
