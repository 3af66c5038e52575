package dev.enas.runtime.cli;

import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.space.SearchSpace;
import dev.enas.runtime.bench.IrJson;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.plugin.PluginHost;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas arch}: read architecture strings. */
@Command(name = "arch", mixinStandardHelpOptions = true, description = "Read architecture strings.",
    subcommands = ArchCommand.Show.class)
public final class ArchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: show");
  }

  /** Reads an architecture from a string or, with a leading '@', from a file. */
  static String text(String arg) throws java.io.IOException {
    if (arg.startsWith("@")) {
      Path p = Path.of(arg.substring(1));
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("architecture file " + p + " does not exist");
      }
      return Files.readString(p);
    }
    return arg;
  }

  /**
   * {@code enas arch show --space ID STRING}: a readable description, a DOT diagram with --dot, or the child graph as
   * JSON with --ir-json.
   */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Describe an architecture string of a space; --dot prints a Graphviz diagram.")
  static final class Show implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Option(names = "--space", required = true, paramLabel = "ID", description = "Space plugin id, e.g. enas-micro.")
    String space;

    @Mixin
    SpaceSelection selection;

    @Option(names = "--dot", description = "Print a Graphviz DOT diagram instead of the description.")
    boolean dot;

    @Option(names = "--ir-json", description = "Print the resolved, pruned child graph as JSON (nodes with op fields, "
        + "inputs, shapes, FLOPs and parameters; outputs), for a reference implementation such as "
        + "bench/pytorch_eager.py.")
    boolean irJson;

    @Parameters(index = "0", paramLabel = "ARCH", description = "The authors' architecture string, or @FILE.")
    String arch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (PluginHost h = host.open()) {
        SearchSpace s = selection.create(h, space);
        Architecture a;
        try {
          a = s.parse(text(arch));
        } catch (ArchitectureFormatException e) {
          throw new ConfigException("bad " + selection.label(space) + " architecture: " + e.getMessage());
        }
        if (dot && irJson) {
          throw new ConfigException("--dot and --ir-json are exclusive: pick one");
        }
        if (irJson) {
          Map<String, String> source = new LinkedHashMap<>();
          source.put("space", space);
          source.put("options", selection.optionsText == null ? "" : selection.optionsText);
          source.put("finalPreset", Boolean.toString(selection.finalPreset));
          source.put("architecture", s.format(a));
          out.print(IrJson.write(s.child(a), source));
        } else {
          out.print(dot ? s.dot(a) : s.describe(a));
          if (!dot) {
            out.println();
          }
        }
      }
      return 0;
    }
  }
}
