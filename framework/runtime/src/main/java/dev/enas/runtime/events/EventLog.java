package dev.enas.runtime.events;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.proto.Event;
import dev.enas.tensorboard.TensorBoardLog;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's event log, {@code <run-dir>/events.pb}: length-delimited {@link Event} messages, one per child
 * step, controller update or epoch end. A resume cuts it back to its length at the checkpoint. Every event is
 * mirrored to TensorBoard event files in {@code <run-dir>/tb/}, which are rebuilt from what is left of the log when
 * it is opened: after a resume TensorBoard shows each step once, as the log has it.
 */
public final class EventLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  public static final String FILE = "events.pb";
  private final Path file;
  private final OutputStream out;
  private final TensorBoardLog tensorBoard;

  private EventLog(Path file, OutputStream out, TensorBoardLog tensorBoard) {
    this.file = file;
    this.out = out;
    this.tensorBoard = tensorBoard;
  }

  /** Opens the log for appending, first truncating it to {@code length} bytes (0 starts a new log). */
  public static EventLog open(Path runDir, long length) throws IOException {
    Path file = runDir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
    TensorBoardLog tb = TensorBoardLog.rebuild(tensorBoardDir(runDir), TensorBoardLog.SEARCH, readWhole(runDir));
    try {
      return new EventLog(file, new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.APPEND)), tb);
    } catch (IOException e) {
      tb.close();
      throw e;
    }
  }

  /** Where a run's TensorBoard event files are: point {@code tensorboard --logdir} at it. */
  public static Path tensorBoardDir(Path runDir) {
    return runDir.resolve(TensorBoardLog.DIR);
  }

  /**
   * Appends and flushes one event, and its TensorBoard summaries, so that a watcher sees progress (a step costs far
   * more than a write).
   */
  public void append(Event e) throws IOException {
    e.writeDelimitedTo(out);
    out.flush();
    tensorBoard.append(e);
  }

  /** Flushes and returns the log's length, for the checkpoint. */
  public long sync() throws IOException {
    out.flush();
    return Files.size(file);
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } finally {
      tensorBoard.close();
    }
  }

  /**
   * The events of a log up to the first that does not parse: a log shorter than its checkpoint says (damaged
   * outside enas) may end in part of an event, and the run appends after it as before; TensorBoard gets the whole ones.
   */
  private static List<Event> readWhole(Path runDir) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(runDir.resolve(FILE)))) {
      Event e;
      while ((e = Event.parseDelimitedFrom(in)) != null) {
        events.add(e);
      }
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("{} ends in a damaged event after {} whole ones; {} shows those", runDir.resolve(FILE), events.size(),
          tensorBoardDir(runDir));
    }
    return events;
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
