package dev.enas.runtime.cli;

import dev.enas.runtime.plugin.PluginConflict;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.plugin.PluginProblem;
import dev.enas.runtime.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code enas plugins}: lists every plugin with its kind, id, version, source jar and summary; marks an id that two
 * jars provide, and says how many jar problems were warned about.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "List the plugins the host finds: kind, id, version, source jar and a one-line summary. An id that "
        + "two jars provide is marked CONFLICT (a run that uses it must name the jar); broken jars are warned about.")
public final class PluginsCommand implements Callable<Integer> {
  static final String CONFLICT = "CONFLICT";

  @Mixin
  HostOptions host;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (PluginHost h = host.open()) {
      PluginRegistry r = h.registry();
      List<PluginDescriptor> all = r.all();
      int idWidth = 16;
      int versionWidth = 16;
      int sourceWidth = 6;
      for (PluginDescriptor d : all) {
        idWidth = Math.max(idWidth, d.id().length());
        versionWidth = Math.max(versionWidth, d.version().length());
        sourceWidth = Math.max(sourceWidth, PluginConflict.fileName(d.source()).length());
      }
      String fmt = "%-10s  %-" + idWidth + "s  %-" + versionWidth + "s  %-" + sourceWidth + "s%s";
      out.println(String.format(fmt, "KIND", "ID", "VERSION", "SOURCE", "").stripTrailing());
      for (PluginDescriptor d : all) {
        String source = PluginConflict.fileName(d.source());
        out.println(String.format(fmt, d.kind().label(), d.id(), d.version(), source,
            r.inConflict(d) ? "  " + CONFLICT : "").stripTrailing());
        String summary = summary(d);
        if (!summary.isEmpty()) {
          out.println("            " + summary);
        }
      }
      out.printf("%d plugin(s) from %s%n", all.size(), h.mode());
      for (PluginConflict c : r.conflicts()) {
        out.println(CONFLICT + ": " + c.describe());
      }
      List<PluginProblem> problems = r.problems();
      if (!problems.isEmpty()) {
        // Each problem was already logged once, as a warning naming the jar and the cause.
        out.printf("%d plugin jar problem(s); see the warnings%n", problems.size());
      }
    }
    return 0;
  }

  /** The plugin's one-line summary, on one line; empty when it has none or its summary() fails. */
  private static String summary(PluginDescriptor d) {
    try {
      return d.summary().strip().replaceAll("\\s*\\R\\s*", " ");
    } catch (RuntimeException | LinkageError e) {
      return "";
    }
  }
}
