package dev.enas.runtime.cli;

import dev.enas.runtime.derive.Deriver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas derive RUN_DIR}: the best of N architectures sampled from the trained controller. */
@Command(name = "derive", mixinStandardHelpOptions = true,
    description = "Sample N architectures from the trained controller, score each on validation, write the best "
        + "(authors' string, proto with provenance, DOT) to RUN_DIR/derived/.")
public final class DeriveCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory of a search.")
  Path runDir;

  @Option(names = {"-n", "--samples"}, paramLabel = "N", description = "Architectures to sample (default: schedule.derive_samples).")
  Integer samples;

  @Option(names = "--batches", paramLabel = "B", defaultValue = "1",
      description = "Validation batches each candidate is scored on (default: ${DEFAULT-VALUE}, as in the paper).")
  int batches;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (RunSession s = RunSession.fromRunDirectory(host, runDir)) {
      int n = samples != null ? samples : s.config.config().getSchedule().getDeriveSamples();
      if (n <= 0 || batches <= 0) {
        throw new dev.enas.runtime.config.ConfigException("--samples and --batches must be positive");
      }
      Deriver.Result r = s.get(Deriver.class).derive(s.run, n, batches, s.loader.typeRegistry());
      dev.enas.api.space.SearchSpace space = s.get(dev.enas.api.space.SearchSpace.class);
      out.printf(Locale.ROOT, "best of %d sampled architectures: reward %.4f, validation accuracy %.4f%n", n,
          r.best().reward(), r.best().accuracy());
      out.println("architecture: " + space.format(r.best().architecture()));
      out.println(space.describe(r.best().architecture()));
      out.println("written to " + r.directory());
    }
    return 0;
  }
}
