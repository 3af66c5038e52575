package dev.enas.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.ir.Graph;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ConfigValidator;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.train.ChildTrainer;
import dev.enas.runtime.wiring.RunModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A finished {@code enas train} output opened for {@code evaluate} and {@code export}: the config it was trained
 * with (resolved, checked, wired), its space, and the architecture in {@code model/arch.txt} as that space's child.
 * Plugins are created when first asked for; closing releases them.
 */
final class TrainedModel implements AutoCloseable {
  private final Path model;
  private final ResolvedConfig rc;
  private final RunModule module;
  private final Injector injector;
  private final SearchSpace space;
  private final String archText;
  private final Graph child;

  private TrainedModel(Path model, ResolvedConfig rc) throws IOException {
    this.model = model;
    this.rc = rc;
    this.module = new RunModule(rc);
    try {
      this.injector = Guice.createInjector(module);
      this.space = RunSession.get(injector, SearchSpace.class);
      Path archFile = model.resolve(ChildTrainer.MODEL_ARCH);
      this.archText = Files.readString(archFile).trim();
      Architecture a;
      try {
        a = space.parse(archText);
      } catch (ArchitectureFormatException e) {
        throw new ConfigException(archFile + " does not fit space '" + spaceId() + "' with the options of "
            + model.resolve(ChildTrainer.MODEL_CONFIG) + ": " + e.getMessage());
      }
      this.child = space.child(a);
    } catch (RuntimeException | IOException e) {
      module.close();
      throw e;
    }
  }

  /**
   * Opens {@code out} (refused unless it holds a finished training), its config changed by {@code change} before it
   * is checked (e.g. another backend), or as it is.
   */
  static TrainedModel open(PluginHost host, Path out, UnaryOperator<ResolvedConfig> change) throws IOException {
    Path model = EvaluateCommand.requireFinishedTraining(out);
    ConfigLoader loader = new ConfigLoader(host.registry());
    Path file = model.resolve(ChildTrainer.MODEL_CONFIG);
    ConfigLoader.Parsed parsed = loader.parseWithLocations(file.toString(), Files.readString(file));
    ResolvedConfig rc = change.apply(loader.resolve(file, parsed.config(), parsed.locations()));
    try {
      ConfigValidator.check(rc);
    } catch (ConfigException e) {
      // a model cannot take another option: what changed is its data or its plugins
      throw new ConfigException(e.getMessage() + ". This is the config the model in " + out + " was trained with: "
          + "its data or plugins have changed since (a dataset with another vocabulary or other classes?); run it "
          + "on the data it was trained on, or train again", e);
    }
    return new TrainedModel(model, rc);
  }

  ResolvedConfig config() {
    return rc;
  }

  String spaceId() {
    return rc.plugin(PluginKind.SPACE).plugin().id();
  }

  String backendId() {
    return rc.plugin(PluginKind.BACKEND).plugin().id();
  }

  /** The train block as enas train ran it, defaults filled in. */
  TrainSchedule schedule() {
    return ChildTrainer.defaults(rc.config().getTrain());
  }

  SearchSpace space() {
    return space;
  }

  /** The architecture string as {@code model/arch.txt} holds it. */
  String archText() {
    return archText;
  }

  Graph child() {
    return child;
  }

  Path weightsFile() {
    return model.resolve(ChildTrainer.MODEL_WEIGHTS);
  }

  Dataset dataset() {
    return RunSession.get(injector, Dataset.class);
  }

  /** The config's backend with the trained weights loaded. */
  Backend backendWithWeights() throws IOException {
    Backend b = RunSession.get(injector, Backend.class);
    b.load(weightsFile(), spaceId());
    return b;
  }

  @Override
  public void close() {
    module.close();
  }
}
