package dev.enas.sweep.cli;

import java.util.List;

/**
 * Spark and its libraries log through SLF4J, which the host binds to slf4j-simple: at the host's info level their
 * start-up alone is hundreds of lines. Unless the user chose a level for them, they log warnings only; so do the runs
 * of trials in this JVM (local[N]), whose epoch lines, side by side, would bury the sweep's own (their commands'
 * output is in each trial's trial.log), unless {@code --verbose}. slf4j-simple reads a logger's level from system
 * properties when the logger is created, so this runs before Spark starts and before the first trial.
 */
final class SparkLogging {
  private static final List<String> NOISY = List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop",
      "io.netty", "org.apache.spark.util.Utils");

  private SparkLogging() {}

  static void quiet(boolean verbose) {
    List<String> quiet = new java.util.ArrayList<>(NOISY);
    if (!verbose) {
      quiet.addAll(List.of("dev.enas.runtime.search", "dev.enas.runtime.train", "dev.enas.runtime.derive",
          "enas.progress"));
    }
    for (String p : quiet) {
      String key = "org.slf4j.simpleLogger.log." + p;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }
}
