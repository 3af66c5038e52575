package dev.enas.runtime.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as log lines: one every {@code every} steps and one at the end, with rate and ETA. */
final class LogProgress implements Progress {
  private static final Logger LOG = LoggerFactory.getLogger("enas.progress");
  private final String task;
  private final long total;
  private final int every;
  private final long start = System.nanoTime();
  private long done;
  private String last = "";

  LogProgress(String task, long total, int every) {
    this.task = task;
    this.total = total;
    this.every = Math.max(1, every);
  }

  @Override
  public void step(String status) {
    done++;
    last = status;
    if (done % every == 0 && done < total) {
      log();
    }
  }

  private void log() {
    double secs = (System.nanoTime() - start) / 1e9;
    double rate = done / Math.max(secs, 1e-9);
    long eta = Math.round((total - done) / Math.max(rate, 1e-9));
    String line = String.format(java.util.Locale.ROOT, "%s %d/%d  %s  %.2f/s  ETA %dm%02ds", task, done, total, last,
        rate, eta / 60, eta % 60);
    LOG.info(line);
    ThreadLines.emit(line);
  }

  @Override
  public void close() {
    if (done > 0) {
      log();
    }
  }
}
