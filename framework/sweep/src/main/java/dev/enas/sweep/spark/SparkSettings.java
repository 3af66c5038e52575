package dev.enas.sweep.spark;

import dev.enas.runtime.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * How a sweep runs on Spark: embedded {@code local[N]} (trials as threads of this JVM, the default) or a cluster
 * master URL; how many trials at once, how many threads each, how often a trial's task is tried. Builds the
 * {@link SparkConf}, with what executors need to run enas: the distribution's lib/ on their class path and its
 * plugins directory, JDK 17's {@code --add-opens} for Spark, and the TensorFlow environment bin/enas sets.
 */
public final class SparkSettings {
  /** The module openings Spark needs on JDK 17 (its own launcher passes the same list). */
  static final List<String> ADD_OPENS = List.of("java.base/java.lang", "java.base/java.lang.invoke",
      "java.base/java.lang.reflect", "java.base/java.io", "java.base/java.net", "java.base/java.nio",
      "java.base/java.util", "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
      "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar");
  private static final List<String> ENVIRONMENT = List.of("TF_ENABLE_ONEDNN_OPTS", "TF_DETERMINISTIC_OPS",
      "TF_CPP_MIN_LOG_LEVEL", "DJL_OFFLINE", "ENGINE_CACHE_DIR", "DJL_CACHE_DIR");
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,(\\d+))?])?");

  private final String master;
  private final int parallel;
  private final int threads;
  private final int attempts;
  private final Map<String, String> extra;

  private SparkSettings(String master, int parallel, int threads, int attempts, Map<String, String> extra) {
    this.master = master;
    this.parallel = parallel;
    this.threads = threads;
    this.attempts = attempts;
    this.extra = extra;
  }

  /**
   * @param master {@code --master}, or null for local[N]
   * @param parallel {@code --parallel}: trials at once on local[N] (0: cores, at most the trials)
   * @param threadsPerTrial the sweep config's threads_per_trial (0: chosen here)
   * @param trials trials to run
   * @param conf {@code --conf key=value} pairs, applied last
   */
  public static SparkSettings of(String master, int parallel, int threadsPerTrial, int attempts, int trials,
      List<String> conf) {
    Map<String, String> extra = new LinkedHashMap<>();
    for (String kv : conf) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--conf " + kv + " is not KEY=VALUE (e.g. --conf spark.executor.memory=4g)");
      }
      extra.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (parallel < 0) {
      throw new ConfigException("--parallel must be positive");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (master == null || master.startsWith("local")) {
      int n;
      if (master == null) {
        n = parallel > 0 ? parallel : Math.max(1, Math.min(cores, trials));
        master = "local[" + n + "," + attempts + "]";
      } else {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
          throw new ConfigException("--master " + master + " is not local, local[N] or local[N,ATTEMPTS]");
        }
        n = m.group(1) == null ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
        if (m.group(2) == null) {
          // local mode tries a task once unless told otherwise
          master = "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + attempts + "]";
        }
      }
      int threads = threadsPerTrial > 0 ? threadsPerTrial : Math.max(1, cores / Math.max(1, n));
      return new SparkSettings(master, n, threads, attempts, extra);
    }
    if (parallel > 0) {
      throw new ConfigException("--parallel is for local[N]; on a cluster the executors' cores and the threads per "
          + "trial (spark.task.cpus) decide how many trials run at once");
    }
    return new SparkSettings(master, 0, threadsPerTrial > 0 ? threadsPerTrial : 1, attempts, extra);
  }

  public boolean local() {
    return master.startsWith("local");
  }

  public String master() {
    return master;
  }

  /** Backend op threads per trial. */
  public int threads() {
    return threads;
  }

  /** Trials at once in local mode; 0 on a cluster. */
  public int parallel() {
    return parallel;
  }

  public SparkConf conf(String appName) {
    SparkConf c = new SparkConf().setMaster(master).setAppName(appName)
        .set("spark.ui.enabled", "false")
        .set("spark.task.maxFailures", String.valueOf(attempts))
        // a trial's task is long: waiting for a "better" executor only leaves cores idle
        .set("spark.locality.wait", "0s");
    if (local()) {
      c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    } else {
      c.set("spark.task.cpus", String.valueOf(threads));
      c.set("spark.executor.memory", "2g");
      String home = System.getProperty("enas.home");
      c.set("spark.executor.extraClassPath", home != null ? home + "/lib/*" : System.getProperty("java.class.path"));
      StringBuilder opts = new StringBuilder();
      for (String o : ADD_OPENS) {
        opts.append("--add-opens=").append(o).append("=ALL-UNNAMED ");
      }
      for (String p : List.of("enas.home", "enas.plugins.dir")) {
        if (System.getProperty(p) != null) {
          opts.append("-D").append(p).append('=').append(System.getProperty(p)).append(' ');
        }
      }
      opts.append("-Denas.progress=log");
      c.set("spark.executor.extraJavaOptions", opts.toString());
      for (String v : ENVIRONMENT) {
        if (System.getenv(v) != null) {
          c.set("spark.executorEnv." + v, System.getenv(v));
        }
      }
    }
    extra.forEach(c::set);
    return c;
  }
}
