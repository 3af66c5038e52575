package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void aJarThatShadowsABuiltInIdIsAConflictNotAReplacement() throws Exception {
    String builtIn = builtInJar("enas-space-micro-");
    // "aaa" sorts before the built-in jar: file-name order used to decide which one won, silently
    ToyPlugin.build(tmp.resolve("fork"), dist.plugins().resolve("aaa-micro-fork.jar"), "enas-micro",
        "com.example.fork", "9.9.9", true);
    ToyPlugin.build(tmp.resolve("empty"), dist.plugins().resolve("no-services.jar"), "unused", "com.example.empty",
        "1.0.0", false);

    Distribution.Result list = dist.run(tmp, 120, "plugins");
    assertEquals(0, list.exitCode(), list.toString());
    List<String> rows = list.out().lines().filter(l -> l.matches("space\\s+enas-micro\\s.*")).toList();
    assertEquals(2, rows.size(), "both providers are listed:\n" + list);
    assertTrue(rows.stream().allMatch(l -> l.endsWith("CONFLICT")), list.toString());
    assertTrue(rows.stream().anyMatch(l -> l.contains("9.9.9") && l.contains("aaa-micro-fork.jar")), list.toString());
    assertTrue(rows.stream().anyMatch(l -> l.contains(builtIn)), list.toString());
    assertTrue(list.out().contains("CONFLICT: 2 plugin jars provide space 'enas-micro': aaa-micro-fork.jar, " + builtIn),
        list.toString());
    assertTrue(list.err().contains("plugin id conflict: 2 plugin jars provide space 'enas-micro': aaa-micro-fork.jar, "
        + builtIn), "one warning names both jars:\n" + list);
    assertFalse(list.err().contains("duplicate"), list.toString());
    long noServices = list.err().lines().filter(l -> l.contains("no-services.jar")).count();
    assertEquals(1, noServices, list.toString());
    assertTrue(list.err().contains("no-services.jar: has no META-INF/services entry for an enas plugin interface"),
        list.toString());

    // a run that uses enas-micro refuses to start, naming both jars, until the config says which jar wins
    Path data = IdxFiles.write(tmp.resolve("data"), 200, 50, 1);
    String run = """
        space { id: "enas-micro"%s }
        controller { id: "reinforce" }
        reward { id: "accuracy" }
        dataset {
          id: "fashion-mnist"
          options { [type.googleapis.com/enas.dataset.fashionmnist.FashionMnistOptions] { path: "%s" valid_size: 50 } }
        }
        backend { id: "tensorflow" }
        """;
    String microOptions = " options { [type.googleapis.com/enas.space.micro.MicroSpaceOptions] { num_cells: 1 channels: 8 "
        + "image_height: 28 image_width: 28 image_channels: 1 } }";
    Path plain = Files.writeString(tmp.resolve("plain.pbtxt"), run.formatted(microOptions, data));
    String[][] commands = {{"validate", plain.toString()}, {"search", plain.toString(), "--run-dir",
        tmp.resolve("r").toString()}};
    for (String[] cmd : commands) {
      Distribution.Result r = dist.run(tmp, 120, cmd);
      assertEquals(2, r.exitCode(), cmd[0] + ": " + r);
      assertTrue(r.err().contains("error: 2 plugin jars provide space 'enas-micro': aaa-micro-fork.jar, " + builtIn
          + "; a run that uses it must say which jar wins"), r.toString());
      assertFalse(Files.exists(tmp.resolve("r/checkpoints")), "nothing started");
    }
    Path picked = Files.writeString(tmp.resolve("picked.pbtxt"),
        run.formatted(" jar: \"" + builtIn + "\"" + microOptions, data));
    Distribution.Result v = dist.run(tmp, 120, "validate", picked.toString());
    assertEquals(0, v.exitCode(), v.toString());
    assertTrue(v.out().contains("space      enas-micro 0.1.0"), v.toString());
    Path fork = Files.writeString(tmp.resolve("fork.pbtxt"), run.formatted(" jar: \"aaa-micro-fork.jar\"", data));
    Distribution.Result vf = dist.run(tmp, 120, "validate", fork.toString());
    assertEquals(0, vf.exitCode(), vf.toString());
    assertTrue(vf.out().contains("space      enas-micro 9.9.9"), vf.toString());

    // commands that do not use the conflicting id work as before
    Distribution.Result macro = dist.run(tmp, 120, "space", "describe", "enas-macro");
    assertEquals(0, macro.exitCode(), macro.toString());
    Distribution.Result micro = dist.run(tmp, 120, "space", "describe", "enas-micro", "--space-jar", builtIn);
    assertEquals(0, micro.exitCode(), micro.toString());
  }

  @Test
  void aPluginJarInLibIsNotIgnoredWithoutAWord() throws Exception {
    ToyPlugin.build(tmp.resolve("toy"), dist.home.resolve("lib/toy-space-0.0.7.jar"));
    Distribution.Result r = dist.run(tmp, 120, "plugins");
    assertEquals(0, r.exitCode(), r.toString());
    assertFalse(r.out().contains("toy-space"), r.toString());
    assertTrue(r.err().contains("toy-space-0.0.7.jar: holds an enas plugin "
        + "(META-INF/services/dev.enas.api.space.SearchSpaceProvider) but is on the host's class path (lib/)"), r.toString());
    assertTrue(r.err().contains("move it to the plugins directory " + dist.plugins()), r.toString());
  }

  private String builtInJar(String prefix) throws Exception {
    try (java.util.stream.Stream<Path> s = Files.list(dist.plugins())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
    }
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
