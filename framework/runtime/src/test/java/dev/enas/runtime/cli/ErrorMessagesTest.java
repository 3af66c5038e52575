package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No user-facing error names a Java class: every error path the CLI tests cover, with its exit code. */
class ErrorMessagesTest {
  /** A qualified class name such as java.io.FileNotFoundException or com.google.inject.ProvisionException. */
  private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b"
      + "|\\b(?:java|javax|com\\.google|dev\\.enas|picocli)\\.[\\w.]*[A-Z]\\w*");

  @TempDir
  Path tmp;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
  }

  private Path config(String name, String body) throws Exception {
    return Files.writeString(tmp.resolve(name + ".pbtxt"), """
        seed: 9
        run_dir: "%s"
        space { id: "tiny" }
        controller { id: "seeded" }
        reward { id: "toy-reward" }
        backend { id: "toy-backend" }
        schedule { epochs: 1 child_steps_per_epoch: 2 child_batch_size: 8 controller_updates_per_epoch: 1
                   controller_samples_per_update: 2 eval_batch_size: 8 derive_samples: 2 }
        %s
        """.formatted(tmp.resolve("runs/" + name), body));
  }

  @Test
  void noErrorNamesAJavaClass() throws Exception {
    Path good = config("good", "dataset { id: \"toy-data\" }");
    Path missingData = config("missing", """
        dataset { id: "fussy-data" options { [type.googleapis.com/google.protobuf.Struct] {
          fields { key: "path" value { string_value: "%s" } } } } }""".formatted(tmp.resolve("absent")));
    Path late = config("late", """
        dataset { id: "fussy-data" options { [type.googleapis.com/google.protobuf.Struct] {
          fields { key: "refuse_at_create" value { bool_value: true } } } } }""");
    Path syntax = Files.writeString(tmp.resolve("syntax.pbtxt"), "seed: 1\nspace { id: \"tiny\" \n");
    Path unknownPlugin = Files.writeString(tmp.resolve("unknown.pbtxt"), "space { id: \"enas-mikro\" }\n");
    Path typo = Files.writeString(tmp.resolve("typo.pbtxt"), "space { id: \"tiny\" options { "
        + "[type.googleapis.com/enas.Schedule] { epocs: 1 } } }\n");
    Path wrongType = Files.writeString(tmp.resolve("wrongtype.pbtxt"), "controller { id: \"fixed\" options { "
        + "[type.googleapis.com/enas.Schedule] { epochs: 1 } } }\n");
    assertEquals(0, run("search", good.toString()), err.toString());

    List<String[]> failing = new ArrayList<>();
    failing.add(new String[] {"validate", tmp.resolve("none.pbtxt").toString()});
    failing.add(new String[] {"validate", syntax.toString()});
    failing.add(new String[] {"validate", unknownPlugin.toString()});
    failing.add(new String[] {"validate", typo.toString()});
    failing.add(new String[] {"validate", wrongType.toString()});
    failing.add(new String[] {"validate", missingData.toString()});
    failing.add(new String[] {"search", missingData.toString()});
    failing.add(new String[] {"search", good.toString()});
    failing.add(new String[] {"search", late.toString()});
    failing.add(new String[] {"train", late.toString(), "--arch", "0 1 0"});
    failing.add(new String[] {"train", good.toString(), "--arch", "7 0 0"});
    failing.add(new String[] {"train", good.toString(), "--arch", "@" + tmp.resolve("no-arch.txt")});
    failing.add(new String[] {"resume", tmp.toString()});
    failing.add(new String[] {"derive", tmp.toString()});
    failing.add(new String[] {"plugins", "--plugins-dir", tmp.resolve("no-plugins").toString()});
    failing.add(new String[] {"arch", "show", "--space", "tiny", "9 9 9"});
    failing.add(new String[] {"space", "describe", "tiny", "--space-options", "epocs: 1"});
    failing.add(new String[] {"serch"});
    for (String[] args : failing) {
      int code = run(args);
      String e = err.toString();
      assertTrue(code == 1 || code == 2, String.join(" ", args) + " exited " + code + ": " + e);
      assertFalse(CLASS_NAME.matcher(e).find(), String.join(" ", args) + " names a Java class: " + e);
      assertFalse(e.contains("\tat "), String.join(" ", args) + " prints a stack trace: " + e);
    }
  }

  @Test
  void aFailureAtRunTimeShowsItsMessageWithoutTheClassNamesOfWrappers() {
    assertEquals("no such directory", Main.userMessage(new UncheckedIOException(
        new java.io.FileNotFoundException("no such directory"))));
    assertEquals("boom", Main.userMessage(new RuntimeException(new IllegalStateException("boom"))));
    assertEquals("tensorflow backend: momentum must be in [0, 1), got 2",
        Main.userMessage(new IllegalArgumentException("tensorflow backend: momentum must be in [0, 1), got 2")));
    assertTrue(Main.userMessage(new NullPointerException()).contains("--verbose"));
  }
}
