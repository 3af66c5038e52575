package dev.enas.tensorboard;

import dev.enas.proto.tensorboard.Event;
import dev.enas.tensorboard.record.TfRecordWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<unix seconds>.<host><suffix>}: TFRecord-framed
 * {@link Event}s, the first of which carries the file version TensorBoard expects. TensorBoard reads every file
 * whose name holds {@code tfevents}, so the suffix ({@code .search}, {@code .train}, ...) tells ours apart without
 * hiding them.
 */
public final class EventFileWriter implements Closeable {
  public static final String PREFIX = "events.out.tfevents.";
  /** Version 2: TensorBoard discards steps only on a restart marker, never because a step goes back. */
  public static final String FILE_VERSION = "brain.Event:2";

  private final Path file;
  private final OutputStream out;
  private final TfRecordWriter records;

  private EventFileWriter(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
    this.records = new TfRecordWriter(out);
  }

  /** Creates a new event file in {@code dir} (made if missing), never over an existing one. */
  public static EventFileWriter create(Path dir, String suffix) throws IOException {
    Files.createDirectories(dir);
    long millis = System.currentTimeMillis();
    String host = host();
    // Two files started within one second (two derives, a quick resume) get the next free second in their name.
    for (long seconds = millis / 1000; ; seconds++) {
      Path file = dir.resolve(PREFIX + seconds + "." + host + suffix);
      OutputStream out;
      try {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      EventFileWriter w = new EventFileWriter(file, new BufferedOutputStream(out));
      w.write(Event.newBuilder().setWallTime(millis / 1000.0).setFileVersion(FILE_VERSION).build());
      w.flush();
      return w;
    }
  }

  public void write(Event e) throws IOException {
    records.write(e.toByteArray());
  }

  /** Flushes to the file, so that a running TensorBoard sees what was written. */
  public void flush() throws IOException {
    records.flush();
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The machine's name as gethostname() gives it; the kernel's file first, as a DNS lookup can stall for seconds. */
  private static String host() {
    String name = "";
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | SecurityException e) {
      // not Linux: ask the JDK
    }
    if (name.isEmpty()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException | SecurityException e) {
        name = "localhost";
      }
    }
    String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return clean.isEmpty() ? "localhost" : clean;
  }
}
