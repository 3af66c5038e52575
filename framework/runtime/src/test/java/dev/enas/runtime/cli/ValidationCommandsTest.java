package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate, search, train, resume and derive run one validation pass before any work: a config refused by one is
 * refused by all, at once, with exit 2 and one line naming the file, line and option, and no Java class name.
 */
class ValidationCommandsTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private Path config(String name, String dataset, String extra) throws Exception {
    return Files.writeString(tmp.resolve(name + ".pbtxt"), """
        seed: 9
        run_dir: "%s"
        space { id: "tiny" }
        controller { id: "seeded" }
        reward { id: "toy-reward" }
        %s
        backend { id: "toy-backend" }
        schedule { epochs: 1 child_steps_per_epoch: 2 child_batch_size: 8 controller_updates_per_epoch: 1
                   controller_samples_per_update: 2 eval_batch_size: 8 derive_samples: 2 }
        %s
        """.formatted(tmp.resolve("runs/" + name), dataset, extra));
  }

  /** The error line, with the one-line and no-class-name rules checked. */
  private String oneLineError() {
    String e = err.toString().trim();
    assertFalse(e.contains("\n"), "one line: " + e);
    assertFalse(e.matches("(?s).*\\b(java|com\\.google|dev\\.enas)\\.[\\w.]*[A-Z]\\w*.*"), "no class names: " + e);
    assertFalse(e.contains("Guice") || e.contains("\tat "), e);
    return e;
  }

  @Test
  void validateSearchAndTrainRefuseTheSameConfigWithTheSameLine() throws Exception {
    // {text to replace in the config, its replacement}
    String[][] mutations = {
        {"space { id: \"tiny\" }", "space { id: \"tiny\" options { [type.googleapis.com/enas.Schedule] { epochs: -1 } } }"},
        {"eval_batch_size: 8", "eval_batch_size: -1"},
        {"derive_samples: 2", "derive_samples: -2"},
        {"seed: 9", "seed: 9\nseed: 10"},
        {"seed: 9", "schedule2 { }"},
        {"space { id: \"tiny\" }", ""},
    };
    for (int i = 0; i < mutations.length; i++) {
      Path cfg = config("bad" + i, "dataset { id: \"toy-data\" }", "train { batch_size: 16 }");
      Files.writeString(cfg, Files.readString(cfg).replace(mutations[i][0], mutations[i][1]));
      assertEquals(2, run("validate", cfg.toString()), err.toString());
      String expected = oneLineError();
      assertTrue(expected.startsWith("error: " + cfg + ":"), expected);
      assertEquals(2, run("search", cfg.toString()), err.toString());
      assertEquals(expected, oneLineError());
      assertFalse(Files.exists(tmp.resolve("runs/bad" + i)), "search refused before creating the run directory");
      assertEquals(2, run("train", cfg.toString(), "--arch", "0 1 0"), err.toString());
      assertEquals(expected, oneLineError());
    }
    Path train = config("train", "dataset { id: \"toy-data\" }", "train {\n  batch_size: -16\n}");
    assertEquals(2, run("validate", train.toString()));
    assertEquals("error: " + train + ":11: train.batch_size must be in [0, 2147483647] (0 means 128), got -16",
        oneLineError());
    assertEquals(2, run("search", train.toString()));
    assertTrue(oneLineError().contains(":11: train.batch_size"));
  }

  @Test
  void aMissingDatasetDirectoryIsExit2WithTheOptionAndPath() throws Exception {
    Path missing = tmp.resolve("no-data");
    Path cfg = config("nodata", """
        dataset { id: "fussy-data"
          options { [type.googleapis.com/google.protobuf.Struct] {
            fields { key: "path" value { string_value: "%s" } } } } }""".formatted(missing), "");
    for (String command : new String[] {"validate", "search"}) {
      assertEquals(2, run(command, cfg.toString()), err.toString());
      String e = oneLineError();
      assertTrue(e.contains(cfg + ":8: dataset 'fussy-data' cannot read its data (option path)")
          && e.contains(missing.toString()), e);
    }
    assertEquals(2, run("train", cfg.toString(), "--arch", "0 1 0"), err.toString());
    assertTrue(oneLineError().contains("(option path)"));
  }

  @Test
  void trainReportsAPluginThatRefusesItsOptionsWhileWiredAsOneLineAndExit2() throws Exception {
    // describe accepts these options and create refuses them: the refusal comes from Guice's provisioning in train.
    Path cfg = config("late", """
        dataset { id: "fussy-data"
          options { [type.googleapis.com/google.protobuf.Struct] {
            fields { key: "refuse_at_create" value { bool_value: true } } } } }""", "");
    assertEquals(0, run("validate", cfg.toString()), err.toString());
    assertEquals(2, run("train", cfg.toString(), "--arch", "0 1 0", "--out", tmp.resolve("t").toString()),
        err.toString());
    String e = oneLineError();
    assertTrue(e.startsWith("error: dataset 'fussy-data' rejected its options")
        && e.contains("refuse_at_create is set"), e);
    assertEquals(2, run("search", cfg.toString()), err.toString());
    assertEquals(e, oneLineError());
  }

  @Test
  void resumeAndDeriveValidateTheRunsSavedConfig() throws Exception {
    Path cfg = config("saved", "dataset { id: \"toy-data\" }", "");
    assertEquals(0, run("search", cfg.toString()), err.toString());
    Path saved = tmp.resolve("runs/saved/config.pbtxt");
    assertTrue(Files.exists(saved), "the run keeps its config");
    Files.writeString(saved, Files.readString(saved).replaceFirst("eval_batch_size: 8", "eval_batch_size: -8"));
    for (String command : new String[] {"resume", "derive"}) {
      assertEquals(2, run(command, tmp.resolve("runs/saved").toString()), err.toString());
      String e = oneLineError();
      assertTrue(e.startsWith("error: " + saved + ":") && e.contains("schedule.eval_batch_size must be in [1, "), e);
    }
  }
}
