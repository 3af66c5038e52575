package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search-space plugin written against the API jar alone, built with javac and jar from sources in the test tree,
 * dropped into a copy of the distribution's plugins/, runs end to end: validate, search (stopped and resumed),
 * derive and train. Its options are a DynamicMessage built from a FileDescriptorProto in Java (no protoc): they parse,
 * a typo is an error with its line, a refused value is one line and exit 2, and resume reads them back.
 */
class ThirdPartyPluginIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path config;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    ThirdPartyPlugin.build(dist, tmp.resolve("build"), dist.plugins().resolve("stripes-space-1.0.0.jar"));
    Path data = IdxFiles.write(tmp.resolve("data"), 400, 100, 5);
    config = Files.writeString(tmp.resolve("stripes.pbtxt"), """
        name: "stripes-it"
        seed: 11
        space {
          id: "stripes"
          options { [type.googleapis.com/example.stripes.StripesOptions] { num_layers: 2 } }
        }
        controller { id: "reinforce" }
        reward { id: "accuracy" }
        dataset {
          id: "fashion-mnist"
          options { [type.googleapis.com/enas.dataset.fashionmnist.FashionMnistOptions] {
            path: "%s" valid_size: 100
          } }
        }
        backend { id: "tensorflow" }
        schedule {
          epochs: 2 child_steps_per_epoch: 4 child_batch_size: 32 controller_updates_per_epoch: 2
          controller_samples_per_update: 2 eval_batch_size: 50 lr_max: 0.05 lr_min: 0.001 derive_samples: 3
        }
        train { epochs: 1 batch_size: 32 steps_per_epoch: 4 test_batches: 2 }
        """.formatted(data));
  }

  @Test
  void listedWithItsSummaryAndNoWarnings() throws Exception {
    Distribution.Result r = dist.run(tmp, 120, "plugins");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().matches("(?s).*\\nspace\\s+stripes\\s+1\\.0\\.0\\s+stripes-space-1\\.0\\.0\\.jar\\n.*"), r.toString());
    assertTrue(r.out().contains("a third-party test space: a chain of layers"), r.toString());
    assertFalse(r.out().contains("problem"), r.toString());
    assertFalse(r.err().contains("stripes"), "no warning about the plugin:\n" + r);
  }

  @Test
  void validateSearchResumeDeriveAndTrain() throws Exception {
    Distribution.Result v = dist.run(tmp, 120, "validate", config.toString());
    assertEquals(0, v.exitCode(), v.toString());
    assertTrue(v.out().contains("space      stripes 1.0.0 { num_layers: 2 }"), v.toString());

    Path run = tmp.resolve("run");
    Distribution.Result s = dist.run(tmp, 300, "search", config.toString(), "--run-dir", run.toString(),
        "--stop-after-epochs", "1");
    assertEquals(0, s.exitCode(), s.toString());
    assertNoNativeLog(s);
    // the options, a DynamicMessage, are read back from the run directory's saved config
    Distribution.Result resumed = dist.run(tmp, 300, "resume", run.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(Files.readString(run.resolve("final.pbtxt")).contains("epochs: 2"), resumed.toString());
    assertNoNativeLog(resumed);

    Distribution.Result d = dist.run(tmp, 300, "derive", run.toString());
    assertEquals(0, d.exitCode(), d.toString());
    String arch = Files.readString(run.resolve("derived/arch.txt")).trim();
    assertTrue(arch.matches("[0-2] [0-2]"), arch);

    // train switches the options to preset: FINAL by the preset convention; -v shows TensorFlow's native log
    Distribution.Result t = dist.run(tmp, 300, "train", config.toString(), "--arch", "@" + run.resolve("derived/arch.txt"),
        "--out", tmp.resolve("trained").toString(), "-v");
    assertEquals(0, t.exitCode(), t.toString());
    assertTrue(t.out().contains("test accuracy"), t.toString());
    assertTrue(t.err().contains("All log messages before absl::InitializeLog() is called are written to STDERR"),
        "--verbose lets TensorFlow's absl lines through:\n" + t);
  }

  @Test
  void aTypoInTheDynamicOptionsIsAnErrorWithItsLine() throws Exception {
    Path typo = Files.writeString(tmp.resolve("typo.pbtxt"), Files.readString(config).replace("num_layers: 2",
        "num_layers: 2 chanels: 4"));
    Distribution.Result v = dist.run(tmp, 120, "validate", typo.toString());
    assertEquals(2, v.exitCode(), v.toString());
    assertTrue(v.err().contains("typo.pbtxt:5:") && v.err().contains("chanels"), v.toString());
    Distribution.Result s = dist.run(tmp, 120, "search", typo.toString(), "--run-dir", tmp.resolve("typo-run").toString());
    assertEquals(2, s.exitCode(), s.toString());
    assertTrue(s.err().contains("typo.pbtxt:5:") && s.err().contains("chanels"), s.toString());
    assertFalse(Files.exists(tmp.resolve("typo-run/checkpoints")));
  }

  @Test
  void optionsThePluginRefusesAreOneLineAndExit2() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.pbtxt"), Files.readString(config).replace("num_layers: 2",
        "num_layers: -1"));
    Distribution.Result r = dist.run(tmp, 120, "search", bad.toString(), "--run-dir", tmp.resolve("bad-run").toString());
    assertEquals(2, r.exitCode(), r.toString());
    // the one validation pass names the file and line of the options, the plugin and its own reason, no class names
    assertTrue(r.err().contains("bad.pbtxt:5: space 'stripes' rejected its options")
        && r.err().contains("num_layers -1"), r.toString());
    assertFalse(r.err().contains("example.stripes"), "no class names:\n" + r);
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
    assertFalse(Files.exists(tmp.resolve("bad-run/config.pbtxt")), "refused before the run directory is made");
    Distribution.Result v = dist.run(tmp, 120, "validate", bad.toString());
    assertEquals(2, v.exitCode(), v.toString());
    assertEquals(r.err().strip(), v.err().strip(), "validate refuses it with the same line as search");
  }

  @Test
  void theDefaultArchitectureParserTakesAsciiDigitsOnly() throws Exception {
    Distribution.Result ok = dist.run(tmp, 120, "arch", "show", "--space", "stripes", "2 0");
    assertEquals(0, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains("layer 0: max 3x3"), ok.toString());
    for (String bad : new String[] {"+1 0", "\u0661 0", "00 1", "-0 1"}) {
      Distribution.Result r = dist.run(tmp, 120, "arch", "show", "--space", "stripes", "--", bad);
      assertEquals(2, r.exitCode(), bad + ": " + r);
      assertTrue(r.err().contains("token 0 (layer0 op id) is '" + bad.split(" ")[0] + "', which "), r.toString());
    }
  }

  private static void assertNoNativeLog(Distribution.Result r) {
    assertFalse(r.err().contains("absl::InitializeLog"), "TensorFlow's absl banner is filtered:\n" + r);
    assertFalse(r.err().lines().anyMatch(l -> l.matches("[IW]\\d{4} .*")), "absl info lines are filtered:\n" + r);
  }
}
