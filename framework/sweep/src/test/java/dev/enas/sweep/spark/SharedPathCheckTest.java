package dev.enas.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe each executor runs before a cluster sweep: it must find the driver's file with the driver's token. */
class SharedPathCheckTest {
  @TempDir
  Path tmp;

  @Test
  void anExecutorThatSeesTheFileAnswersNothing() throws Exception {
    Path f = Files.writeString(tmp.resolve("probe"), "token-1");
    assertEquals("", new SharedPathCheck.Probe(f.toString(), "token-1").call(0));
  }

  @Test
  void anExecutorThatDoesNotSeeItSaysWhichItIs() throws Exception {
    String missing = new SharedPathCheck.Probe(tmp.resolve("elsewhere").toString(), "token-1").call(0);
    assertTrue(missing.startsWith("executor ") && missing.contains(" on "), missing);
    // another sweep directory with a file of that name is not the driver's
    Path f = Files.writeString(tmp.resolve("probe"), "token-2");
    assertTrue(!new SharedPathCheck.Probe(f.toString(), "token-1").call(0).isEmpty());
  }
}
