package dev.enas.sweep.config;

import com.google.protobuf.TextFormat;
import dev.enas.proto.SweepAxis;
import dev.enas.proto.SweepConfig;
import dev.enas.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Reads and checks sweep configs (protobuf text format, {@link SweepConfig}). */
public final class SweepConfigs {
  private SweepConfigs() {}

  /** The sweep config in {@code file}, checked; its base_config made absolute against the file's directory. */
  public static SweepConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("sweep config " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read sweep config " + file + ": " + e.getMessage(), e);
    }
    SweepConfig c = parse(file.toString(), text);
    Path dir = file.toAbsolutePath().getParent();
    if (!c.getBaseConfig().isEmpty()) {
      c = c.toBuilder().setBaseConfig(dir.resolve(c.getBaseConfig()).normalize().toString()).build();
    }
    check(c, file.toString());
    if (c.hasArch() && c.getArch().startsWith("@")) {
      Path archFile = dir.resolve(c.getArch().substring(1)).normalize();
      try {
        c = c.toBuilder().setArch(Files.readString(archFile, StandardCharsets.UTF_8).strip()).build();
      } catch (IOException e) {
        throw new ConfigException(file + ": arch " + c.getArch() + ": cannot read " + archFile + " ("
            + e.getClass().getSimpleName() + ")", e);
      }
    }
    return c;
  }

  /** Parses text format; a syntax error or an unknown field names the file, line and column. */
  public static SweepConfig parse(String fileName, String text) {
    SweepConfig.Builder b = SweepConfig.newBuilder();
    try {
      TextFormat.Parser.newBuilder()
          .setSingularOverwritePolicy(TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
          .build().merge(text, b);
    } catch (TextFormat.ParseException e) {
      String where = e.getLine() > 0 ? fileName + ":" + e.getLine() + ":" + e.getColumn() : fileName;
      String m = e.getMessage() == null ? "syntax error" : e.getMessage().replaceFirst("^\\d+:\\d+: ", "");
      throw new ConfigException(where + ": " + m, e);
    }
    return b.build();
  }

  /** What a sweep config must hold before anything runs; a problem is a {@link ConfigException} naming the fix. */
  public static void check(SweepConfig c, String where) {
    if (c.getBaseConfig().isEmpty()) {
      throw new ConfigException(where + ": base_config is missing; name the run config every trial starts from, "
          + "e.g. base_config: \"micro-fashion-mnist.pbtxt\"");
    }
    Set<String> paths = new HashSet<>();
    for (SweepAxis a : c.getAxisList()) {
      if (a.getPath().isEmpty()) {
        throw new ConfigException(where + ": an axis has no path; write axis { path: \"seed\" values: \"1\" ... }");
      }
      if (a.getValuesCount() == 0) {
        throw new ConfigException(where + ": axis " + a.getPath() + " has no values; give it values: \"...\"");
      }
      if (!paths.add(a.getPath())) {
        throw new ConfigException(where + ": axis " + a.getPath() + " is given twice; put all its values in one axis");
      }
      if (new HashSet<>(a.getValuesList()).size() != a.getValuesCount()) {
        throw new ConfigException(where + ": axis " + a.getPath() + " repeats a value; each value makes one trial "
            + "per combination (vary the seed for repeats)");
      }
    }
    if (c.hasArch()) {
      if (c.getDerive()) {
        throw new ConfigException(where + ": arch trains the given architecture without a search, so there is "
            + "nothing to derive; remove derive: true");
      }
      if (!c.hasRetrain()) {
        throw new ConfigException(where + ": arch needs retrain { epochs: N }: training that architecture is all its "
            + "trials do");
      }
    } else if (c.hasRetrain() && !c.getDerive()) {
      throw new ConfigException(where + ": retrain needs derive: true (it retrains the derived architecture), or "
          + "arch: \"...\" to train a given one");
    }
    if (c.getRetrain().getEpochs() < 0) {
      throw new ConfigException(where + ": retrain.epochs must be positive (0 takes the base config's train.epochs)");
    }
    if (c.getThreadsPerTrial() < 0) {
      throw new ConfigException(where + ": threads_per_trial must be positive (0 chooses)");
    }
    if (c.getMaxAttempts() < 0) {
      throw new ConfigException(where + ": max_attempts must be positive (0 = 4)");
    }
  }

  /** Task attempts per trial. */
  public static int maxAttempts(SweepConfig c) {
    return c.getMaxAttempts() > 0 ? c.getMaxAttempts() : 4;
  }
}
