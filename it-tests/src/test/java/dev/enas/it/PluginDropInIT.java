package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user drops a plugin jar into an unpacked distribution's plugins/ and runs bin/enas. */
class PluginDropInIT {
  @TempDir
  Path tmp;

  private Distribution dist;

  @BeforeEach
  void copyDistribution() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
  }

  @Test
  void droppedInSpacePluginIsListedAndUsable() throws Exception {
    Distribution.Result before = dist.run(tmp, 120, "plugins");
    assertEquals(0, before.exitCode(), before.toString());
    assertFalse(before.out().contains("toy-space"), before.toString());

    ToyPlugin.build(tmp.resolve("toy"), dist.plugins().resolve("toy-space-0.0.7.jar"));

    Distribution.Result after = dist.run(tmp, 120, "plugins");
    assertEquals(0, after.exitCode(), after.toString());
    assertTrue(after.out().matches("(?s).*space\\s+toy-space\\s+0\\.0\\.7\\s+toy-space-0\\.0\\.7\\.jar.*"), after.toString());

    Distribution.Result describe = dist.run(tmp, 120, "space", "describe", "toy-space");
    assertEquals(0, describe.exitCode(), describe.toString());
    assertTrue(describe.out().contains("distinct architectures: 2"), describe.toString());

    Distribution.Result show = dist.run(tmp, 120, "arch", "show", "--space", "toy-space", "1");
    assertEquals(0, show.exitCode(), show.toString());
    assertTrue(show.out().contains("toy with op 1"), show.toString());
  }

  @Test
  void corruptJarGivesOneWarningAndExitCodeZero() throws Exception {
    Files.writeString(dist.plugins().resolve("corrupt.jar"), "definitely not a zip");
    Distribution.Result r = dist.run(tmp, 120, "plugins");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("controller  random"), "the other plugins still load:\n" + r);
    long warnings = r.err().lines().filter(l -> l.contains("corrupt.jar")).count();
    assertEquals(1, warnings, r.toString());
    assertTrue(r.err().contains("not a readable jar"), r.toString());
  }

  @Test
  void helpAndUsageErrorsFromTheLauncher() throws Exception {
    Distribution.Result help = dist.run(tmp, 60, "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("Usage: enas"), help.toString());
    Distribution.Result bad = dist.run(tmp, 60, "no-such-command");
    assertEquals(2, bad.exitCode(), bad.toString());
  }

  @Test
  void tarballSitsBesideTheUnpackedDistribution() {
    Path tar = Distribution.built().resolveSibling("enas.tar.gz");
    assertTrue(Files.isRegularFile(tar), "missing " + tar);
  }
}
