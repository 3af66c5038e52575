package dev.enas.runtime.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak and current resident set size of this process, from /proc (Linux); -1 elsewhere. */
final class PeakMemory {
  private PeakMemory() {}

  /** VmHWM in MiB. */
  static long peakRssMiB() {
    return field("VmHWM:");
  }

  /** VmRSS in MiB. */
  static long rssMiB() {
    return field("VmRSS:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
