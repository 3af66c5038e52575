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

/** {@code enas search CONFIG}: runs an ENAS search into a new run directory. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Run an ENAS search from a run config into a new run directory (checkpointed; see resume). "
        + "A directory that already holds a run is refused unless --overwrite is given.")
public final class SearchCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Run config (.pbtxt).")
  Path config;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: the config's run_dir, else runs/<config name>).")
  Path runDir;

  @Option(names = "--stop-after-epochs", paramLabel = "N", description = "Stop after N epochs (resume continues).")
  int stopAfter;

  @Option(names = "--overwrite",
      description = "Discard the run already in the run directory (its config, checkpoints, events, results) and "
          + "start anew; other files there are left alone.")
  boolean overwrite;

  @Option(names = "--backend", paramLabel = "ID",
      description = "Run on this backend plugin instead of the config's; its backend options are carried over by "
          + "field name (a field the backend lacks is an error naming it).")
  String backend;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RunSession s = RunSession.fromConfig(host, config, runDir, backend)) {
      SearchRun search = s.get(SearchRun.class);
      if (overwrite && !s.run.runFiles().isEmpty()) {
        out.println("discarded the run in " + s.run.path() + ": " + String.join(", ", s.run.discard()));
      }
      s.run.create(s.config.config(), s.loader.typeRegistry());
      out.println("run directory: " + s.run.path());
      out.flush();
      SearchSummary summary = search.run(s.run, stopAfter);
      out.print(TextFormat.printer().printToString(summary));
    }
    return 0;
  }
}
