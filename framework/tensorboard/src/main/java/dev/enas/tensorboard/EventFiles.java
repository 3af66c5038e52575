package dev.enas.tensorboard;

import dev.enas.proto.tensorboard.Event;
import dev.enas.tensorboard.record.CorruptRecordException;
import dev.enas.tensorboard.record.TfRecordReader;
import dev.enas.tensorboard.record.TruncatedRecordException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds and reads event files, verifying every record's checksums. */
public final class EventFiles {
  private EventFiles() {}

  /** The event files in {@code dir} whose name ends with {@code suffix}, in name order (as TensorBoard reads them). */
  public static List<Path> list(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(EventFileWriter.PREFIX) && n.endsWith(suffix) && Files.isRegularFile(p);
      }).sorted().toList();
    }
  }

  /** Every event of a file; a bad checksum or a record cut short is an exception naming the file and offset. */
  public static List<Event> read(Path file) throws IOException {
    return read(file, false);
  }

  /**
   * As {@link #read(Path)}, but when {@code dropTruncatedTail}, a last record cut short (a writer killed mid-write)
   * ends the file instead of failing; a checksum mismatch still fails.
   */
  public static List<Event> read(Path file, boolean dropTruncatedTail) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      TfRecordReader r = new TfRecordReader(in, file.toString());
      byte[] data;
      while (true) {
        try {
          data = r.next();
        } catch (TruncatedRecordException e) {
          if (dropTruncatedTail) {
            break;
          }
          throw e;
        }
        if (data == null) {
          break;
        }
        try {
          events.add(Event.parseFrom(data));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new CorruptRecordException(file + ": the record before byte " + r.offset() + " is not a "
              + "tensorflow.Event (" + e.getMessage() + ")", r.offset());
        }
      }
    }
    return events;
  }
}
