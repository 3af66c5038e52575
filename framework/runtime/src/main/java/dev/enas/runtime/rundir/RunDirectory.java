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
import java.util.List;

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

  /** What a run writes into its directory; {@link #discard} deletes these and nothing else. */
  static final List<String> RUN_FILES = List.of(CONFIG, "checkpoints", "events.pb", SUMMARY, "derived", "report", "tb");

  /** The files of a run found in the directory (any of {@link #RUN_FILES}); empty when it holds no run. */
  public List<String> runFiles() {
    return RUN_FILES.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
  }

  /** Creates the directory for a new run; refuses one that already holds a run, or any of a run's files. */
  public void create(RunConfig resolved, com.google.protobuf.TypeRegistry types) throws IOException {
    List<String> found = runFiles();
    if (!found.isEmpty()) {
      throw new ConfigException("run directory " + dir + " already holds a run (" + String.join(", ", found)
          + "); continue it with `enas resume " + dir + "`, pass --overwrite to discard it, or set another run_dir");
    }
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(CONFIG), TextFormat.printer().usingTypeRegistry(types).printToString(resolved).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Rewrites the run's config after {@code enas resume --backend} changed its backend: the config is the one the run
   * continues with (so a later resume keeps the new backend), and a comment line at its top, kept with those of
   * earlier switches, says which backend continued it from where.
   */
  public void recordBackendSwitch(RunConfig resolved, com.google.protobuf.TypeRegistry types, String note)
      throws IOException {
    StringBuilder text = new StringBuilder();
    for (String n : notes()) {
      text.append("# ").append(n).append('\n');
    }
    text.append("# ").append(note.replace('\n', ' ')).append('\n');
    text.append(TextFormat.printer().usingTypeRegistry(types).printToString(resolved));
    AtomicFiles.write(dir.resolve(CONFIG), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The comment lines at the top of the run's config (one per backend switch), without their '#'. */
  public List<String> notes() throws IOException {
    List<String> notes = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(CONFIG), StandardCharsets.UTF_8)) {
      if (!line.startsWith("#")) {
        break;
      }
      notes.add(line.substring(1).strip());
    }
    return notes;
  }

  /** The id of the backend the run's config names (the one that continues it), or empty if none is found. */
  public String backendId() throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^backend\\s*\\{\\s*id:\\s*\"([^\"]*)\"")
        .matcher(Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8));
    return m.find() ? m.group(1) : "";
  }

  /**
   * Deletes the run in this directory (each of {@link #RUN_FILES} present), for {@code enas search --overwrite};
   * other files are left alone.
   *
   * @return what was deleted
   */
  public List<String> discard() throws IOException {
    List<String> found = runFiles();
    for (String f : found) {
      dev.enas.runtime.checkpoint.AtomicFiles.deleteTree(dir.resolve(f));
    }
    return found;
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
