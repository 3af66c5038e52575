package dev.enas.runtime.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.protobuf.Message;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.reward.RewardProvider;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.proto.RunConfig;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.PluginChoice;
import dev.enas.runtime.config.ResolvedConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Binds the plugins a run config names: the run sees {@link SearchSpace}, {@link Controller},
 * {@link RewardFunction}, {@link Dataset} and {@link Backend}, never the registry. Each is created once
 * per injector, from the plugin's typed options and the run's seed.
 */
public final class RunModule extends AbstractModule implements AutoCloseable {
  private final ResolvedConfig config;
  private final java.util.List<AutoCloseable> created = new java.util.ArrayList<>();

  public RunModule(ResolvedConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ResolvedConfig.class).toInstance(config);
    bind(RunConfig.class).toInstance(config.config());
  }

  @Provides
  @Singleton
  @SuppressWarnings({"unchecked", "rawtypes"})
  SearchSpace space() {
    PluginChoice c = config.plugin(PluginKind.SPACE);
    return guard(c, () -> ((SearchSpaceProvider) c.plugin().provider()).create(c.options()));
  }

  @Provides
  @Singleton
  @SuppressWarnings({"unchecked", "rawtypes"})
  Controller controller(SearchSpace space) {
    PluginChoice c = config.plugin(PluginKind.CONTROLLER);
    return guard(c, () -> ((ControllerProvider) c.plugin().provider()).create(c.options(), space.schema(),
        Seeds.derive(config.config().getSeed(), "controller")));
  }

  @Provides
  @Singleton
  @SuppressWarnings({"unchecked", "rawtypes"})
  RewardFunction reward() {
    PluginChoice c = config.plugin(PluginKind.REWARD);
    return guard(c, () -> ((RewardProvider) c.plugin().provider()).create(c.options()));
  }

  @Provides
  @Singleton
  @SuppressWarnings({"unchecked", "rawtypes"})
  Dataset dataset() {
    PluginChoice c = config.plugin(PluginKind.DATASET);
    return guard(c, () -> {
      try {
        return ((DatasetProvider) c.plugin().provider()).create(c.options(), Seeds.derive(config.config().getSeed(),
            "dataset"));
      } catch (IOException e) {
        // The message alone: users see it, and it must not start with a Java class name.
        throw new UncheckedIOException("dataset '" + c.plugin().id() + "' cannot read its data: " + e.getMessage(), e);
      }
    });
  }

  @Provides
  @Singleton
  @SuppressWarnings({"unchecked", "rawtypes"})
  Backend backend() {
    PluginChoice c = config.plugin(PluginKind.BACKEND);
    Backend b = guard(c, () -> ((BackendProvider) c.plugin().provider()).create(c.options(),
        Seeds.derive(config.config().getSeed(), "backend")));
    created.add(b);
    return b;
  }

  /** Closes what this module created (the backend), in reverse order; failures are logged, not thrown. */
  @Override
  public void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        created.get(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(RunModule.class).warn("closing {} failed: {}", created.get(i), e.toString());
      }
    }
    created.clear();
  }

  /** Turns a plugin's refusal of its options into a config error that names the plugin. */
  private static <T> T guard(PluginChoice c, java.util.function.Supplier<T> create) {
    try {
      return create.get();
    } catch (IllegalArgumentException | dev.enas.api.ir.IrException e) {
      Message o = c.options();
      throw new ConfigException(c.plugin().kind().label() + " '" + c.plugin().id() + "' rejected its options ("
          + o.getDescriptorForType().getFullName() + "): " + e.getMessage(), e);
    }
  }
}
