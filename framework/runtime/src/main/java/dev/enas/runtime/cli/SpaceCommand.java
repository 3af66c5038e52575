package dev.enas.runtime.cli;

import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.runtime.plugin.PluginHost;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas space}: inspect search spaces. */
@Command(name = "space", mixinStandardHelpOptions = true, description = "Inspect search spaces.",
    subcommands = SpaceCommand.Describe.class)
public final class SpaceCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: describe");
  }

  /** {@code enas space describe ID}: the choice points and the number of distinct architectures. */
  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Print a space's choice points and the number of distinct architectures.")
  static final class Describe implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Parameters(index = "0", paramLabel = "SPACE", description = "Space plugin id, e.g. enas-micro.")
    String id;

    @Mixin
    SpaceSelection selection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (PluginHost h = host.open()) {
        SearchSpace space = selection.create(h, id);
        DecisionSchema schema = space.schema();
        out.printf("space %s (%s)%n", id, space.task().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        out.printf("%d choice points, %d tokens per architecture string, %d initial anchor(s)%n",
            schema.points().size(), schema.tokenCount(), schema.initialAnchors());
        for (ChoicePoint p : schema.points()) {
          out.println("  " + describe(p));
        }
        BigInteger n = schema.size();
        out.printf("distinct architectures: %s (about 10^%d)%n", n, n.toString().length() - 1);
      }
      return 0;
    }

    private static String describe(ChoicePoint p) {
      if (p instanceof ChoicePoint.Layer l) {
        return String.format("%-24s layer choice of %d: %s", l.key(), l.options().size(), String.join(", ", l.options()));
      }
      ChoicePoint.Input in = (ChoicePoint.Input) p;
      return String.format("%-24s input choice %s over anchors %s", in.key(),
          in.multi() ? "(any subset)" : "(one)", in.anchors());
    }
  }
}
