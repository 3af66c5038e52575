package dev.enas.tensorboard;

import dev.enas.proto.tensorboard.Event;
import dev.enas.proto.tensorboard.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TensorBoard log in one directory (a run's {@code tb/}): scalars, text and images written to an event file of its
 * own, which TensorBoard shows beside the directory's other event files as one run. The suffix names the writer
 * ({@link #SEARCH}, {@link #TRAIN}, {@link #DERIVE}), so that a writer that rewrites its history on a resume
 * replaces only its own files.
 */
public final class TensorBoardLog implements AutoCloseable {
  /** The directory, inside a run's or a training's directory, that TensorBoard is pointed at. */
  public static final String DIR = "tb";
  public static final String SEARCH = ".search";
  public static final String TRAIN = ".train";
  public static final String DERIVE = ".derive";

  private final EventFileWriter file;
  private final EventTranslator translator = new EventTranslator();

  private TensorBoardLog(EventFileWriter file) {
    this.file = file;
  }

  /** A new event file in {@code dir}, beside those already there. */
  public static TensorBoardLog create(Path dir, String suffix) throws IOException {
    return new TensorBoardLog(EventFileWriter.create(dir, suffix));
  }

  /**
   * Replaces the event files of {@code suffix} in {@code dir} with one that holds {@code history} translated: a
   * resumed search whose {@code events.pb} was cut back to its checkpoint gets the same cut in TensorBoard, so each
   * step is shown once. Events appended later continue the same translation.
   */
  public static TensorBoardLog rebuild(Path dir, String suffix, List<dev.enas.proto.Event> history)
      throws IOException {
    deleteAll(dir, suffix);
    TensorBoardLog log = create(dir, suffix);
    for (dev.enas.proto.Event e : history) {
      log.writeAll(log.translator.translate(e));
    }
    log.file.flush();
    return log;
  }

  /**
   * Replaces the event files of {@code suffix} in {@code dir} with one that keeps their summaries up to step
   * {@code lastStep}: a resumed training redoes the epochs after its checkpoint, and TensorBoard must not show them
   * twice. A last record cut short by a kill is dropped; a corrupt one is an error naming the file.
   */
  public static TensorBoardLog truncate(Path dir, String suffix, long lastStep) throws IOException {
    List<Event> kept = new ArrayList<>();
    for (Path f : EventFiles.list(dir, suffix)) {
      for (Event e : EventFiles.read(f, true)) {
        if (e.hasSummary() && e.getStep() <= lastStep) {
          kept.add(e);
        }
      }
    }
    deleteAll(dir, suffix);
    TensorBoardLog log = create(dir, suffix);
    log.writeAll(kept);
    log.file.flush();
    return log;
  }

  /** Appends the summaries of one of the search's events, flushed so that a running TensorBoard sees them. */
  public void append(dev.enas.proto.Event e) throws IOException {
    writeAll(translator.translate(e));
    file.flush();
  }

  public void scalar(String tag, long step, double value) throws IOException {
    write(step, Summaries.scalar(tag, value));
  }

  public void text(String tag, long step, String text) throws IOException {
    write(step, Summaries.text(tag, text));
  }

  /** A PNG image; bytes that are not a PNG are an {@link IllegalArgumentException}. */
  public void image(String tag, long step, byte[] png) throws IOException {
    write(step, Summaries.image(tag, png));
  }

  /** Writes values at one step, stamped now, and flushes. */
  public void write(long step, Summary.Value... values) throws IOException {
    Summary.Builder s = Summary.newBuilder();
    for (Summary.Value v : values) {
      s.addValue(v);
    }
    file.write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(step).setSummary(s)
        .build());
    file.flush();
  }

  /** The shell command that shows {@code dir} in TensorBoard: its absolute path, quoted when the shell needs it. */
  public static String command(Path dir) {
    String path = dir.toAbsolutePath().normalize().toString();
    if (!path.matches("[A-Za-z0-9_./:=@+-]+")) {
      path = "'" + path.replace("'", "'\\''") + "'";
    }
    return "tensorboard --logdir " + path;
  }

  /** The event file this log writes. */
  public Path file() {
    return file.file();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  private void writeAll(List<Event> events) throws IOException {
    for (Event e : events) {
      file.write(e);
    }
  }

  private static void deleteAll(Path dir, String suffix) throws IOException {
    for (Path f : EventFiles.list(dir, suffix)) {
      Files.delete(f);
    }
  }
}
