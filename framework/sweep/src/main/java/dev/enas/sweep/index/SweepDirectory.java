package dev.enas.sweep.index;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.proto.SweepConfig;
import dev.enas.proto.SweepIndex;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.config.ConfigException;
import dev.enas.sweep.config.SweepConfigs;
import dev.enas.sweep.summary.SweepSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sweep's directory: {@code sweep.pbtxt} (the sweep config it runs), {@code index.pbtxt} (every trial, its status
 * and results), {@code summary.csv} and {@code summary.md}, and {@code trials/<id>/}, one ordinary run directory per
 * trial with the trial's run config beside it. Every file is replaced atomically.
 */
public final class SweepDirectory {
  public static final String CONFIG = "sweep.pbtxt";
  public static final String INDEX = "index.pbtxt";
  public static final String SUMMARY_CSV = "summary.csv";
  public static final String SUMMARY_MD = "summary.md";

  private final Path path;

  public SweepDirectory(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  public Path path() {
    return path;
  }

  public Path resolve(String other) {
    return path.resolve(other);
  }

  /** Whether a sweep was started here. */
  public boolean hasSweep() {
    return Files.exists(resolve(INDEX));
  }

  public SweepConfig config() throws IOException {
    requireSweep();
    return SweepConfigs.parse(resolve(CONFIG).toString(), Files.readString(resolve(CONFIG)));
  }

  public SweepIndex index() throws IOException {
    requireSweep();
    SweepIndex.Builder b = SweepIndex.newBuilder();
    try {
      TextFormat.merge(Files.readString(resolve(INDEX), StandardCharsets.UTF_8), b);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException(resolve(INDEX) + " is damaged: " + e.getMessage(), e);
    }
    return b.build();
  }

  private void requireSweep() {
    if (!hasSweep()) {
      throw new ConfigException(path + " is not a sweep directory (no " + INDEX + ")");
    }
  }

  public void writeConfig(SweepConfig c) throws IOException {
    write(resolve(CONFIG), c);
  }

  /** Writes the index and regenerates the summary from it. */
  public void writeIndex(SweepIndex index) throws IOException {
    write(resolve(INDEX), index);
    SweepSummary s = SweepSummary.of(index);
    AtomicFiles.write(resolve(SUMMARY_CSV), s.csv().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(resolve(SUMMARY_MD), s.markdown(index.getName()).getBytes(StandardCharsets.UTF_8));
  }

  static void write(Path file, Message m) throws IOException {
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, TextFormat.printer().printToString(m).getBytes(StandardCharsets.UTF_8));
  }
}
