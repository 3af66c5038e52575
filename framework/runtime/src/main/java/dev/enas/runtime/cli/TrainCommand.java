package dev.enas.runtime.cli;

import com.google.protobuf.TextFormat;
import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.TrainSchedule;
import dev.enas.proto.TrainSummary;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.PluginChoice;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.train.ChildTrainer;
import dev.enas.runtime.train.Presets;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas train CONFIG --arch A}: trains one architecture from scratch and reports test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train an architecture from scratch with the space's final preset (more cells and channels); "
        + "report test accuracy and save the model to OUT/model/. Every epoch ends with a checkpoint in "
        + "OUT/checkpoints/; running the same command again continues from the latest one.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Run config: space, dataset, backend and the train block.")
  Path config;

  @Option(names = "--arch", required = true, paramLabel = "ARCH",
      description = "The authors' architecture string, or @FILE (e.g. @runs/x/derived/arch.txt).")
  String arch;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: the run_dir with -train appended).")
  Path out;

  @Option(names = "--epochs", paramLabel = "N", description = "Override train.epochs.")
  Integer epochs;

  @Option(names = "--stop-after-epochs", paramLabel = "N",
      description = "Stop after N epochs in all (the same command without it continues).")
  int stopAfter;

  @Option(names = "--restart", description = "Discard OUT's checkpoints and model and train from the start.")
  boolean restart;

  @Option(names = "--search-preset", description = "Keep the config's space options instead of switching to the final preset.")
  boolean searchPreset;

  @Option(names = "--backend", paramLabel = "ID",
      description = "Train on this backend plugin instead of the config's (its backend options carried over by field "
          + "name). A training in OUT checkpointed by another backend continues on this one, weights and optimiser "
          + "state carried over.")
  String backend;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    try (RunSession base = RunSession.fromConfig(host, config, null, backend)) {
      ResolvedConfig rc = base.config;
      if (!searchPreset) {
        Map<PluginKind, PluginChoice> plugins = new EnumMap<>(rc.plugins());
        PluginChoice space = rc.plugin(PluginKind.SPACE);
        com.google.protobuf.Message preset = Presets.finalPreset(space.options());
        plugins.put(PluginKind.SPACE, new PluginChoice(space.plugin(), preset));
        // checkpoints keep the options trained with, so a search-preset training is never continued as a final one
        rc = rc.withPlugins(plugins).withConfig(rc.config().toBuilder().setSpace(rc.config().getSpace().toBuilder()
            .setOptions(com.google.protobuf.Any.pack(preset))).build());
      }
      TrainSchedule t = ChildTrainer.defaults(rc.config().getTrain());
      if (epochs != null) {
        if (epochs <= 0) {
          throw new ConfigException("--epochs must be positive");
        }
        t = t.toBuilder().setEpochs(epochs).build();
      }
      if (stopAfter < 0) {
        throw new ConfigException("--stop-after-epochs must be positive");
      }
      Path dir = out != null ? out : Path.of(rc.config().getRunDir() + "-train");
      try (dev.enas.runtime.wiring.RunModule module = new dev.enas.runtime.wiring.RunModule(rc)) {
        com.google.inject.Injector inj = com.google.inject.Guice.createInjector(module);
        SearchSpace space = RunSession.get(inj, SearchSpace.class);
        Architecture a;
        try {
          a = space.parse(ArchCommand.text(arch));
        } catch (ArchitectureFormatException e) {
          throw new ConfigException("--arch does not fit space '" + rc.plugin(PluginKind.SPACE).plugin().id()
              + "' with " + (searchPreset ? "the config's" : "its final-preset") + " options: " + e.getMessage());
        }
        Files.createDirectories(dir);
        if (restart) {
          ChildTrainer.discard(dir);
        }
        ChildTrainer trainer = new ChildTrainer(space, RunSession.get(inj, Dataset.class),
            RunSession.get(inj, Backend.class),
            rc.plugin(PluginKind.SPACE).plugin().id(), rc.plugin(PluginKind.BACKEND).plugin().id(), rc.config())
            .withBackendSwitch(backend != null).withNotices(line -> {
              w.println(line);
              w.flush();
            }).withConfigPrinter(TextFormat.printer().usingTypeRegistry(base.loader.typeRegistry()));
        Optional<TrainSummary> done = trainer.train(a, t, dir, stopAfter);
        if (done.isEmpty()) {
          w.printf(Locale.ROOT, "stopped after epoch %d; run the same command again to continue%n", stopAfter);
          return 0;
        }
        TrainSummary s = done.get();
        w.print(TextFormat.printer().printToString(s));
        if (s.getTestPerplexity() > 0) {
          w.printf(Locale.ROOT, "test perplexity %.2f (loss %.4f) on %d sequences; model saved to %s%n",
              s.getTestPerplexity(), s.getTestLoss(), s.getTestExamples(), dir.resolve("model"));
        } else {
          w.printf(Locale.ROOT, "test accuracy %.4f on %d examples; model saved to %s%n", s.getTestAccuracy(),
              s.getTestExamples(), dir.resolve("model"));
        }
        w.println("TensorBoard: " + dev.enas.tensorboard.TensorBoardLog.command(dir.resolve(
            dev.enas.tensorboard.TensorBoardLog.DIR)));
      }
    }
    return 0;
  }
}
