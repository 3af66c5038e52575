package dev.enas.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.testplugins.ShapedSpaceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one validation pass, on the host's toy plugins: each refusal gives the file, the line, the option, the range. */
class ConfigValidatorTest {
  private ConfigLoader loader;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    PluginRegistry registry = PluginHost.fromClasspath().registry();
    // Registered here rather than in META-INF/services, so that the other host tests see their usual spaces.
    registry.register(new PluginDescriptor(PluginKind.SPACE, "shaped", "test", "test", new ShapedSpaceProvider()));
    loader = new ConfigLoader(registry);
  }

  /** A valid toy config; {@code space}, {@code dataset} and {@code extra} replace or add blocks. */
  private Path config(String space, String dataset, String extra) throws Exception {
    return Files.writeString(dir.resolve("run.pbtxt"), """
        seed: 3
        %s
        controller { id: "fixed" }
        reward { id: "toy-reward" }
        %s
        backend { id: "toy-backend" }
        %s
        """.formatted(space, dataset, extra));
  }

  private Path config(String extra) throws Exception {
    return config("space { id: \"tiny\" }", "dataset { id: \"toy-data\" }", extra);
  }

  private ConfigException refused(Path f) {
    return assertThrows(ConfigException.class, () -> ConfigValidator.check(loader.load(f)));
  }

  @Test
  void aValidConfigPasses() throws Exception {
    ConfigValidator.Checked c = ConfigValidator.check(loader.load(config("schedule { epochs: 2 }")));
    assertEquals(3, c.data().classes());
  }

  @Test
  void anEmptyConfigOrOneWithoutASpaceIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pbtxt"), "");
    ConfigException e = refused(empty);
    assertTrue(e.getMessage().startsWith(empty + ": no space { id: ... } block"), e.getMessage());
    Path noSpace = config("", "dataset { id: \"toy-data\" }", "");
    e = refused(noSpace);
    assertTrue(e.getMessage().contains("no space { id: ... } block"), e.getMessage());
  }

  @Test
  void scheduleAndTrainFieldsGiveLineOptionAndRange() throws Exception {
    String[][] cases = {
        {"schedule {\n  eval_batch_size: -5\n}", ":8: schedule.eval_batch_size must be in [1, 2147483647]"},
        {"schedule {\n  checkpoint_every_epochs: -1\n}", ":8: schedule.checkpoint_every_epochs must be in [1, "},
        {"schedule {\n  derive_samples: -3\n}", ":8: schedule.derive_samples must be in [1, 100000]"},
        {"schedule {\n  child_batch_size: -1\n}", ":8: schedule.child_batch_size must be in [1, "},
        {"schedule {\n  lr_t0: -1\n}", ":8: schedule.lr_t0 must be in [1, "},
        {"schedule { lr_max: 0.01\n  lr_min: 0.1 }", ":8: schedule.lr_min must be in [0, lr_max = 0.01], got 0.1"},
        {"schedule {\n  lr_max: nan\n}", ":8: schedule.lr_max must be a finite value >= 0"},
        {"train {\n  batch_size: -16\n}", ":8: train.batch_size must be in [0, 2147483647] (0 means 128), got -16"},
        {"train {\n  epochs: -1\n}", ":8: train.epochs must be in [0, "},
        {"train {\n  test_batches: -1\n}", ":8: train.test_batches must be in [0, "},
        {"train {\n  eval_batch_size: -1\n}", ":8: train.eval_batch_size must be in [0, 2147483647] (0 means "
            + "train.batch_size)"},
        {"train {\n  lr_max: -1\n}", ":8: train.lr_max must be a finite value >= 0"},
        {"train {\n  asgd_nonmono: -2\n}", ":8: train.asgd_nonmono must be in [0, 2147483647] (0 means 10 epochs), "
            + "got -2"},
    };
    for (String[] c : cases) {
      Path f = config(c[0]);
      ConfigException e = refused(f);
      assertTrue(e.getMessage().startsWith(f + c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void aPluginsRefusalPointsAtTheOptionInsideItsAny() throws Exception {
    Path f = config("""
        space {
          id: "tiny"
          options { [type.googleapis.com/enas.Schedule] {
            lr_max: 0.1
            epochs: -4
          } }
        }""", "dataset { id: \"toy-data\" }", "");
    ConfigException e = refused(f);
    assertTrue(e.getMessage().startsWith(f + ":6: space 'tiny' rejected its options: epochs must not be negative"),
        e.getMessage());
  }

  @Test
  void theSpaceMustFitTheDataset() throws Exception {
    String shaped = "space { id: \"shaped\" options { [type.googleapis.com/google.protobuf.Struct] { %s } } }";
    Path side = config(shaped.formatted("fields { key: \"side\" value { number_value: 5 } }"),
        "dataset { id: \"toy-data\" }", "");
    ConfigException e = refused(side);
    assertTrue(e.getMessage().contains("space 'shaped' takes images of 5x5x2 but dataset 'toy-data' gives 4x4x2"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith(side + ":2: "), e.getMessage());

    Path input = config(shaped.formatted("fields { key: \"input\" value { string_value: \"pixels\" } }"),
        "dataset { id: \"toy-data\" }", "");
    e = refused(input);
    assertTrue(e.getMessage().contains("must have exactly one input, named \"images\"")
        && e.getMessage().contains("[pixels]"), e.getMessage());

    Path classes = config(shaped.formatted("fields { key: \"classes\" value { number_value: 10 } }"),
        "dataset { id: \"toy-data\" }", "");
    e = refused(classes);
    assertTrue(e.getMessage().contains("first output (its logits) has shape [10] but dataset 'toy-data' has 3 classes"),
        e.getMessage());
  }

  @Test
  void anUnknownKeyOfStructOptionsIsAnErrorWithItsLine() throws Exception {
    Path f = config("""
        space {
          id: "shaped"
          options { [type.googleapis.com/google.protobuf.Struct] {
            fields { key: "side" value { number_value: 4 } }
            fields { key: "sied" value { number_value: 4 } }
          } }
        }""", "dataset { id: \"toy-data\" }", "");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f));
    assertTrue(e.getMessage().startsWith(f + ":6: space 'shaped' has no option 'sied'; its options are channels, "
        + "classes, input, side"), e.getMessage());
  }

  @Test
  void aMissingDataDirectoryNamesTheOptionAndThePathWithoutJavaClassNames() throws Exception {
    Path missing = dir.resolve("no-such-dir");
    Path f = config("space { id: \"shaped\" }", """
        dataset {
          id: "fussy-data"
          options { [type.googleapis.com/google.protobuf.Struct] {
            fields { key: "path" value { string_value: "%s" } }
          } }
        }""".formatted(missing), "");
    ConfigException e = refused(f);
    assertEquals(f + ":8: dataset 'fussy-data' cannot read its data (option path): fussy-data directory " + missing
        + " does not exist", e.getMessage());
    assertFalse(e.getMessage().contains("java."), e.getMessage());
  }

  @Test
  void batchSizesAreCheckedAgainstTheDataIn64Bits() throws Exception {
    // 4x4x2 examples: at most (2^31 - 1) / 32 per batch.
    Path f = config("schedule {\n  eval_batch_size: 2000000000\n}");
    ConfigException e = refused(f);
    assertTrue(e.getMessage().startsWith(f + ":8: schedule.eval_batch_size must be in [1, 67108863], got 2000000000"),
        e.getMessage());
  }

  @Test
  void trainEvalBatchSizeIsCheckedAgainstTheEvaluatedSplits() throws Exception {
    Path f = config("train {\n  eval_batch_size: 2000000000\n}");
    ConfigException e = refused(f);
    assertTrue(e.getMessage().startsWith(f + ":8: train.eval_batch_size must be in [1, 67108863], got 2000000000"),
        e.getMessage());
  }

  @Test
  void theApisDefaultArchitectureParserReadsNullAsEmpty() {
    var space = new dev.enas.runtime.testplugins.TinySpaceProvider().create(dev.enas.proto.Schedule.getDefaultInstance());
    var e = assertThrows(dev.enas.api.schema.ArchitectureFormatException.class, () -> space.parse(null));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void optionNamesAreFoundInPlainMessages() {
    var type = dev.enas.proto.Schedule.getDescriptor();
    assertEquals("lr_t_mul", ConfigValidator.optionNamedIn(type, "lr_t_mul must be >= 1"));
    assertEquals("epochs", ConfigValidator.optionNamedIn(type, "option epochs of x must be > 0, lr_max too"));
    assertEquals(null, ConfigValidator.optionNamedIn(type, "something else"));
  }
}
