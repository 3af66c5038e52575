package dev.enas.runtime.cli;

import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.plugin.PluginProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas plugins}: lists every plugin with its kind, id, version and source jar, then any jar that failed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "List the plugins the host finds: kind, id, version and source jar; broken jars are warned about.")
public final class PluginsCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (PluginHost h = host.open()) {
      List<PluginDescriptor> all = h.registry().all();
      String fmt = "%-10s  %-16s  %-16s  %s%n";
      out.printf(fmt, "KIND", "ID", "VERSION", "SOURCE");
      for (PluginDescriptor d : all) {
        out.printf(fmt, d.kind().label(), d.id(), d.version(), shortSource(d.source()));
      }
      out.printf("%d plugin(s) from %s%n", all.size(), h.mode());
      List<PluginProblem> problems = h.registry().problems();
      if (!problems.isEmpty()) {
        // Each problem was already logged once, as a warning naming the jar and the cause.
        out.printf("%d plugin jar(s) skipped; see the warnings%n", problems.size());
      }
    }
    return 0;
  }

  private static String shortSource(String source) {
    try {
      Path p = Path.of(source);
      return p.getFileName() == null ? source : p.getFileName().toString();
    } catch (RuntimeException e) {
      return source;
    }
  }
}
