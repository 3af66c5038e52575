package dev.enas.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtualenv under target/ with reference tools installed by pip from the machine's local wheels, made once
 * per build; a test that needs one it cannot have is skipped, saying why.
 */
final class PythonVenv {
  /** A command's exit code and its output (stdout and stderr together). */
  record Result(int code, String output) {}

  private static final Map<String, String> UNAVAILABLE = new HashMap<>();

  private PythonVenv() {}

  /** The python of target/{@code name}, with {@code packages} installed; skips the calling test when impossible. */
  static synchronized Path python(String name, List<String> packages) throws Exception {
    Path venv = Path.of("target", name).toAbsolutePath();
    Path ready = venv.resolve(".ready");
    if (!UNAVAILABLE.containsKey(name) && !Files.exists(ready)) {
      Result made = exec(List.of("python3", "-m", "venv", venv.toString()), 120);
      List<String> pip = new ArrayList<>(List.of(venv.resolve("bin/pip").toString(), "install", "--retries", "1"));
      pip.addAll(packages);
      Result installed = made.code() == 0 ? exec(pip, 900) : made;
      if (installed.code() != 0) {
        UNAVAILABLE.put(name, "Python's " + String.join(", ", packages) + " cannot be installed here (python3 -m venv "
            + "and pip install failed): " + installed.output().substring(Math.max(0, installed.output().length()
            - 500)));
      } else {
        Files.writeString(ready, "");
      }
    }
    assumeTrue(!UNAVAILABLE.containsKey(name), UNAVAILABLE.get(name));
    return venv.resolve("bin/python");
  }

  /** Runs a command, killing it after {@code seconds}. */
  static Result exec(List<String> cmd, long seconds) throws Exception {
    Path log = Files.createTempFile("enas-py", ".txt");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", cmd) + " did not finish in " + seconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(log));
    } catch (java.io.IOException e) {
      return new Result(-1, String.join(" ", cmd) + ": " + e.getMessage());
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
