package dev.enas.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void pluginsListsIdKindVersionAndSource() {
    assertEquals(0, run("plugins"));
    assertTrue(out.toString().contains("space       tiny"), out.toString());
    assertTrue(out.toString().contains("controller  fixed"), out.toString());
    assertTrue(out.toString().contains("from classpath"), out.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd : new String[][] {{"--help"}, {"plugins", "--help"}, {"validate", "--help"},
        {"space", "describe", "--help"}, {"arch", "show", "--help"}}) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(cmd), String.join(" ", cmd));
      assertTrue(out.toString().startsWith("Usage: enas"), out.toString());
    }
  }

  @Test
  void unknownCommandOrOptionIsAUsageError() {
    assertEquals(2, run("serch"));
    assertEquals(2, run("plugins", "--bogus"));
    assertEquals(2, run());
  }

  @Test
  void configErrorsExitWith2AndSayWhere(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("bad.pbtxt"), "seed: 1\nspace { id: \"tiny\" \n");
    assertEquals(2, run("validate", f.toString()));
    assertTrue(err.toString().contains("bad.pbtxt:"), err.toString());
  }

  @Test
  void validatePrintsTheResolvedConfig(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("ok.pbtxt"), """
        seed: 5
        space { id: "tiny" }
        controller { id: "fixed" }
        reward { id: "toy-reward" }
        dataset { id: "toy-data" }
        backend { id: "toy-backend" }
        """);
    assertEquals(0, run("validate", f.toString()), err.toString());
    assertTrue(out.toString().contains("space      tiny"), out.toString());
  }

  @Test
  void spaceDescribeCountsArchitectures() {
    assertEquals(0, run("space", "describe", "tiny"));
    // two ops times four skip subsets
    assertTrue(out.toString().contains("distinct architectures: 8"), out.toString());
  }

  @Test
  void archShowDescribesAndDrawsAndRejectsBadStrings() {
    assertEquals(0, run("arch", "show", "--space", "tiny", "1 0 1"));
    assertTrue(out.toString().contains("tiny 1 0 1"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("arch", "show", "--space", "tiny", "--dot", "1 0 1"));
    assertTrue(out.toString().startsWith("digraph"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("arch", "show", "--space", "tiny", "--ir-json", "1 0 1"));
    assertTrue(out.toString().startsWith("{\n  \"format\": \"enas-ir-json/1\",\n  \"space\": \"tiny\""), out.toString());
    assertTrue(out.toString().contains("\"architecture\": \"1 0 1\""), out.toString());
    assertTrue(out.toString().contains("\"op\": \"Pool\""), out.toString());
    assertEquals(2, run("arch", "show", "--space", "tiny", "--dot", "--ir-json", "1 0 1"));
    assertEquals(2, run("arch", "show", "--space", "tiny", "2 0 1"));
    assertTrue(err.toString().contains("token 0") && err.toString().contains("allowed 0..1"), err.toString());
  }

  @Test
  void benchBackendNamesItsRepeatedChildAndArchFixesIt() {
    assertEquals(0, run("bench", "backend", "--space", "tiny", "--backend", "toy-backend", "--batch", "2", "--steps", "1",
        "--warmup", "0", "--arch", "1 0 1"), err.toString());
    assertTrue(out.toString().contains("repeated child     1 0 1\n"), out.toString());
    assertTrue(out.toString().contains("child FLOPs        "), out.toString());
    assertEquals(2, run("bench", "backend", "--space", "tiny", "--backend", "toy-backend", "--steps", "1",
        "--arch", "2 0 1"));
    assertTrue(err.toString().contains("bad tiny architecture"), err.toString());
  }

  @Test
  void spaceOptionsAreTypedAndATypoIsAUsageError() {
    assertEquals(0, run("space", "describe", "tiny", "--space-options", "epochs: 3"));
    assertEquals(2, run("space", "describe", "tiny", "--space-options", "epocs: 3"));
    assertTrue(err.toString().contains("epocs"), err.toString());
    assertEquals(2, run("space", "describe", "tiny", "--space-options", "epochs: -1"));
    assertTrue(err.toString().contains("rejected its options"), err.toString());
  }

  @Test
  void missingPluginsDirectoryIsAUsageError(@TempDir Path dir) {
    assertEquals(2, run("plugins", "--plugins-dir", dir.resolve("none").toString()));
  }
}
