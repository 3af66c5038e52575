package dev.enas.runtime.progress;

/**
 * Reports a long phase as it goes: a progress bar with step, loss or reward and ETA on a terminal,
 * plain log lines otherwise (CI, files, pipes).
 */
public interface Progress extends AutoCloseable {

  /** One unit done; {@code status} is a short text such as "loss 1.234". */
  void step(String status);

  @Override
  void close();

  /** Creates a phase's progress in the way that fits where output goes. */
  interface Factory {
    Progress start(String task, long total);
  }

  /**
   * A bar when stderr is a terminal, log lines every {@code every} steps otherwise, or when the system property
   * {@code enas.progress} is {@code log} (a sweep runs trials side by side, whose bars would overwrite each other).
   */
  static Factory auto(int every) {
    boolean terminal = System.console() != null && !"true".equals(System.getenv("CI"))
        && !"log".equals(System.getProperty("enas.progress"));
    return terminal ? TerminalProgress::new : (task, total) -> new LogProgress(task, total, every);
  }
}
