package dev.enas.runtime.cli;

import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.report.RunReport;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.search.EpochTimeSplit;
import dev.enas.tensorboard.EventFiles;
import dev.enas.tensorboard.TensorBoardLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas report RUN_DIR}: plots and diagrams of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write PNG plots of loss, reward and controller entropy, the events as CSV, and diagrams of the "
        + "derived architecture into RUN_DIR/report/. With --tensorboard, also print the command that shows the run "
        + "in TensorBoard.")
public final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory of a search.")
  Path runDir;

  @Option(names = "--tensorboard", description = "Print the `tensorboard --logdir RUN_DIR/tb` line to run (tb/ is "
      + "written from events.pb first when the run predates TensorBoard logs).")
  boolean tensorBoard;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RunDirectory run = new RunDirectory(runDir);
    if (!run.hasRun()) {
      throw new ConfigException(runDir + " is not a run directory (no " + RunDirectory.CONFIG + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    String backend = run.backendId();
    if (!backend.isEmpty()) {
      out.println("backend: " + backend);
    }
    for (String note : run.notes()) {
      out.println("  " + note);
    }
    for (Path p : RunReport.write(run)) {
      out.println("wrote " + p);
    }
    EpochTimeSplit split = EpochTimeSplit.of(EventLog.read(run.path()));
    if (split.epochs() > 0) {
      out.println("time split over " + split + " (a checkpoint's time is logged with the next epoch: the last one's "
          + "is not counted)");
    }
    if (tensorBoard) {
      Path tb = EventLog.tensorBoardDir(run.path());
      if (EventFiles.list(tb, TensorBoardLog.SEARCH).isEmpty()) {
        try (TensorBoardLog log = TensorBoardLog.rebuild(tb, TensorBoardLog.SEARCH, EventLog.read(run.path()))) {
          out.println("wrote " + log.file() + " from " + EventLog.FILE + " (the run predates TensorBoard logs)");
        }
      }
      out.println(TensorBoardLog.command(tb));
    }
    return 0;
  }
}
