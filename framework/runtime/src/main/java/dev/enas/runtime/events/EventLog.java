package dev.enas.runtime.events;

import dev.enas.proto.Event;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's event log, {@code <run-dir>/events.pb}: length-delimited {@link Event} messages, one per child
 * step, controller update or epoch end. A resume cuts it back to its length at the checkpoint.
 */
public final class EventLog implements AutoCloseable {
  public static final String FILE = "events.pb";
  private final Path file;
  private final OutputStream out;

  private EventLog(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** Opens the log for appending, first truncating it to {@code length} bytes (0 starts a new log). */
  public static EventLog open(Path runDir, long length) throws IOException {
    Path file = runDir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
    return new EventLog(file, new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.APPEND)));
  }

  /** Appends and flushes one event, so that a watcher sees progress (a step costs far more than a write). */
  public void append(Event e) throws IOException {
    e.writeDelimitedTo(out);
    out.flush();
  }

  /** Flushes and returns the log's length, for the checkpoint. */
  public long sync() throws IOException {
    out.flush();
    return Files.size(file);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Reads every event of a log. */
  public static List<Event> read(Path runDir) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(runDir.resolve(FILE)))) {
      Event e;
      while ((e = Event.parseDelimitedFrom(in)) != null) {
        events.add(e);
      }
    }
    return events;
  }
}
