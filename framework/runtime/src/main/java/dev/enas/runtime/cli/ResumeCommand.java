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

/** {@code enas resume RUN_DIR}: continues a stopped or killed search from its latest checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Continue a search from its latest checkpoint; the result equals an uninterrupted run's.")
public final class ResumeCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory of the search.")
  Path runDir;

  @Option(names = "--stop-after-epochs", paramLabel = "N", description = "Stop after N epochs in total.")
  int stopAfter;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RunSession s = RunSession.fromRunDirectory(host, runDir)) {
      SearchSummary summary = s.get(SearchRun.class).run(s.run, stopAfter);
      out.print(TextFormat.printer().printToString(summary));
    }
    return 0;
  }
}
