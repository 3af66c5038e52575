package dev.enas.runtime.progress;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar (step, rate, ETA, status) on stderr. */
final class TerminalProgress implements Progress {
  private final ProgressBar bar;

  TerminalProgress(String task, long total) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
  }

  @Override
  public void step(String status) {
    bar.setExtraMessage(" " + status);
    bar.step();
  }

  @Override
  public void close() {
    bar.close();
  }
}
