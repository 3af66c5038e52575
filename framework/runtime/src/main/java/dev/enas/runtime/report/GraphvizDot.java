package dev.enas.runtime.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Renders a DOT diagram to PNG with Graphviz's {@code dot}, when it is installed. */
public final class GraphvizDot {
  private GraphvizDot() {}

  /** Whether {@code png} was written: false when {@code dot} is missing, fails, or takes over a minute. */
  public static boolean render(Path dot, Path png) {
    try {
      Process p = new ProcessBuilder("dot", "-Tpng", "-o", png.toString(), dot.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0 && Files.exists(png);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
