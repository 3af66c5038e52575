package dev.enas.runtime.cli;

import com.google.protobuf.TextFormat;
import dev.enas.proto.SearchSummary;
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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RunSession s = RunSession.fromRunDirectory(host, runDir)) {
      SearchSummary summary = s.get(SearchRun.class).run(s.run, stopAfter, from);
      out.print(TextFormat.printer().printToString(summary));
    }
    return 0;
  }
}
