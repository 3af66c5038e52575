package dev.enas.runtime.rundir;

import com.google.protobuf.TextFormat;
import dev.enas.proto.RunConfig;
import dev.enas.proto.SearchSummary;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one run: the resolved config it started with, checkpoints, the event log, the search
 * summary, derived architectures and reports.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.pbtxt";
  public static final String SUMMARY = "final.pbtxt";
  private final Path dir;

  public RunDirectory(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Whether a run was started here (its config is written first). */
  public boolean hasRun() {
    return Files.exists(dir.resolve(CONFIG));
  }

  /** Creates the directory for a new run; refuses one that already holds a run. */
  public void create(RunConfig resolved, com.google.protobuf.TypeRegistry types) throws IOException {
    if (hasRun()) {
      throw new ConfigException("run directory " + dir + " already holds a run; continue it with `enas resume "
          + dir + "` or set another run_dir");
    }
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(CONFIG), TextFormat.printer().usingTypeRegistry(types).printToString(resolved).getBytes(StandardCharsets.UTF_8));
  }

  public void writeSummary(SearchSummary s) throws IOException {
    AtomicFiles.write(dir.resolve(SUMMARY), TextFormat.printer().printToString(s).getBytes(StandardCharsets.UTF_8));
  }

  public SearchSummary readSummary() throws IOException {
    Path f = dir.resolve(SUMMARY);
    if (!Files.exists(f)) {
      throw new ConfigException("run " + dir + " has no " + SUMMARY + "; has its search finished? (enas resume " + dir + ")");
    }
    SearchSummary.Builder b = SearchSummary.newBuilder();
    TextFormat.merge(Files.readString(f), b);
    return b.build();
  }
}
