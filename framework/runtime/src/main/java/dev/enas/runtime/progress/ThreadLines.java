package dev.enas.runtime.progress;

import java.util.function.Consumer;

/**
 * Where the progress and epoch lines of the command running on this thread also go, beside the log. A sweep runs its
 * trials side by side in one JVM, whose logger they share (and which it keeps quiet); each trial sets its own
 * {@code trial.log} here, so that a long trial shows how far it has come in its own file.
 */
public final class ThreadLines {
  private static final ThreadLocal<Consumer<String>> SINK = new ThreadLocal<>();

  private ThreadLines() {}

  /** Sends this thread's lines to {@code sink} until {@link #clear}. */
  public static void set(Consumer<String> sink) {
    SINK.set(sink);
  }

  public static void clear() {
    SINK.remove();
  }

  /** Hands a line to this thread's sink, if it has one. */
  public static void emit(String line) {
    Consumer<String> s = SINK.get();
    if (s != null) {
      s.accept(line);
    }
  }
}
