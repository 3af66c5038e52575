package dev.enas.runtime.cli;

import com.google.protobuf.TextFormat;
import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ConfigValidator;
import dev.enas.runtime.config.PluginChoice;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas validate}: parses a run config, resolves every plugin and its options, prints the result. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a run config (.pbtxt) as search, train and resume do before any work: syntax, plugin ids, "
        + "the schedule, each plugin's options, the space against the dataset; print it resolved.")
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Run config in protobuf text format.")
  Path config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (PluginHost h = host.open()) {
      ResolvedConfig rc = new ConfigLoader(h.registry()).load(config);
      ConfigValidator.check(rc);
      out.println(config + ": ok");
      for (PluginKind kind : PluginKind.values()) {
        PluginChoice c = rc.plugins().get(kind);
        if (c == null) {
          out.printf("  %-10s (none)%n", kind.label());
          continue;
        }
        String opts = TextFormat.printer().shortDebugString(c.options());
        out.printf("  %-10s %s %s { %s }%n", kind.label(), c.plugin().id(), c.plugin().version(), opts);
      }
      out.println("  seed       " + rc.config().getSeed());
      out.println("  schedule   " + TextFormat.printer().shortDebugString(rc.config().getSchedule()));
    }
    return 0;
  }
}
