package dev.enas.runtime.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.lang.reflect.Field;
import java.nio.charset.Charset;

/**
 * Sends the JVM's own stderr to another file descriptor, which {@code bin/enas} names with {@code -Denas.stderr.fd}.
 *
 * <p>Why: TensorFlow's native code logs partly through absl, which ignores {@code TF_CPP_MIN_LOG_LEVEL}, has no
 * environment variable for its threshold, and — since nothing in a JVM calls {@code absl::InitializeLog()} — writes
 * every message to file descriptor 2 ({@code WARNING: All log messages before absl::InitializeLog() is called are
 * written to STDERR}, {@code I0000 00:00:...} lines). Unless {@code --verbose} is given, {@code bin/enas} runs the JVM
 * with descriptor 2 going through a filter that drops those info and warning lines, and descriptor 3 duplicating the
 * real stderr. Java's messages (warnings, errors, progress bars) take descriptor 3, so they are never held back
 * by the filter's line buffering. Without the property, or when the descriptor cannot be opened, nothing changes.
 */
final class StderrRoute {
  static final String PROPERTY = "enas.stderr.fd";

  private StderrRoute() {}

  /** Points {@link System#err} at the descriptor the property names; returns whether it did. */
  static boolean apply() {
    String fd = System.getProperty(PROPERTY);
    if (fd == null || !fd.matches("\\d{1,4}")) {
      return false;
    }
    try {
      FileDescriptor d = new FileDescriptor();
      // java.io.FileDescriptor has no public way to wrap a descriptor number; bin/enas opens java.io for this
      Field f = FileDescriptor.class.getDeclaredField("fd");
      f.setAccessible(true);
      f.setInt(d, Integer.parseInt(fd));
      String encoding = System.getProperty("sun.stderr.encoding", Charset.defaultCharset().name());
      System.setErr(new PrintStream(new FileOutputStream(d), true, encoding));
      return true;
    } catch (ReflectiveOperationException | RuntimeException | UnsupportedEncodingException e) {
      return false;
    }
  }
}
