package dev.enas.runtime.cli;

import com.google.protobuf.TextFormat;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.SearchSummary;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.rundir.RunDirectory;
import java.nio.file.Files;
import dev.enas.runtime.search.SearchRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code enas resume RUN_DIR}: continues a stopped or killed search from its newest checkpoint that verifies (or the
 * one {@code --from} names). It writes only into a run it resumes: a finished run is left as it is, and a run with no
 * usable checkpoint is refused (exit 2) with what was found, never started again over its files.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = {"Continue a search from its newest checkpoint that verifies; the result equals an uninterrupted "
        + "run's.",
        "When checkpoints/LATEST is missing or unreadable, or the newest checkpoint fails its checks, the checkpoints "
            + "are scanned and the newest sound one is used (the log says which and why); newer ones are moved aside, "
            + "never overwritten. A finished run is left as it is."})
public final class ResumeCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory of the search.")
  Path runDir;

  @Option(names = "--stop-after-epochs", paramLabel = "N", description = "Stop after N epochs in total.")
  int stopAfter;

  @Option(names = "--from", paramLabel = "CHECKPOINT",
      description = "Resume from this checkpoint: epoch-NNNN, its epoch number, or its directory in "
          + "RUN_DIR/checkpoints. Newer checkpoints are moved aside (superseded-epoch-NNNN).")
  String from;

  @Option(names = "--backend", paramLabel = "ID",
      description = {"Continue on this backend plugin instead of the run's. The run's backend options are carried "
          + "over by field name; the shared weights, momentum slots and batch-norm statistics are read from the "
          + "checkpoint whichever backend wrote it. The run's config.pbtxt then names the new backend (with a comment "
          + "line saying from where), so a later resume keeps it."})
  String backend;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RunSession s = RunSession.fromRunDirectory(host, runDir, backend)) {
      SearchRun search = s.get(SearchRun.class).withNotices(line -> {
        out.println(line);
        out.flush();
      });
      if (backend != null && !Files.exists(s.run.resolve(RunDirectory.SUMMARY))) {
        record(s);
      }
      SearchSummary summary = search.run(s.run, stopAfter, from);
      out.print(TextFormat.printer().printToString(summary));
    }
    return 0;
  }

  /**
   * Writes the switched config into the run before it continues; not when no checkpoint verifies, which the search
   * then refuses with what it found.
   */
  private void record(RunSession s) throws java.io.IOException {
    String at;
    if (from != null) {
      at = "checkpoint " + from;
    } else {
      try {
        at = new CheckpointStore(s.run.path(), 2).latest().map(c -> c.dir().getFileName().toString())
            .orElse("the start");
      } catch (dev.enas.runtime.checkpoint.CheckpointException e) {
        return;
      }
    }
    String before = s.run.backendId();
    s.run.recordBackendSwitch(s.config.config(), s.loader.typeRegistry(), "continued on backend '"
        + s.config.plugin(PluginKind.BACKEND).plugin().id() + "' from " + at + " (before: '" + before
        + "') by enas resume --backend " + backend);
  }
}
