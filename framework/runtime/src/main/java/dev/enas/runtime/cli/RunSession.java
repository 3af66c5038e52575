package dev.enas.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.enas.runtime.config.BackendSwitch;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ConfigValidator;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.wiring.RunModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One run's plugins wired by Guice, opened from a config file or from an existing run directory. */
final class RunSession implements AutoCloseable {
  final PluginHost host;
  final ConfigLoader loader;
  final ResolvedConfig config;
  final RunDirectory run;
  final Injector injector;
  private final RunModule module;

  private RunSession(PluginHost host, ConfigLoader loader, ResolvedConfig config, RunDirectory run) {
    this.host = host;
    this.loader = loader;
    this.config = config;
    this.run = run;
    this.module = new RunModule(config);
    this.injector = Guice.createInjector(module);
  }

  /** A new run from a config file; {@code runDirOverride} replaces the config's run_dir when given. */
  static RunSession fromConfig(HostOptions options, Path configFile, Path runDirOverride) throws IOException {
    return fromConfig(options, configFile, runDirOverride, null);
  }

  /**
   * A new run from a config file; {@code runDirOverride} replaces the config's run_dir and {@code backend} its
   * backend ({@link BackendSwitch}), each when given.
   */
  static RunSession fromConfig(HostOptions options, Path configFile, Path runDirOverride, String backend)
      throws IOException {
    PluginHost host = options.open();
    try {
      ConfigLoader loader = new ConfigLoader(host.registry());
      ResolvedConfig rc = switched(loader.load(configFile), host, backend);
      Path dir = runDirOverride != null ? runDirOverride
          : !rc.config().getRunDir().isEmpty() ? Path.of(rc.config().getRunDir())
          : Path.of("runs", stem(configFile));
      ResolvedConfig withDir = rc.withConfig(rc.config().toBuilder().setRunDir(dir.toString()).build());
      ConfigValidator.check(withDir);
      return new RunSession(host, loader, withDir, new RunDirectory(dir));
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  /** An existing run, from the config it saved when it started. */
  static RunSession fromRunDirectory(HostOptions options, Path dir) throws IOException {
    return fromRunDirectory(options, dir, null);
  }

  /** An existing run, from the config it saved, with its backend replaced by {@code backend} when given. */
  static RunSession fromRunDirectory(HostOptions options, Path dir, String backend) throws IOException {
    RunDirectory run = new RunDirectory(dir);
    if (!run.hasRun()) {
      throw new ConfigException(dir + " is not a run directory (no " + RunDirectory.CONFIG + ")");
    }
    PluginHost host = options.open();
    try {
      ConfigLoader loader = new ConfigLoader(host.registry());
      Path file = run.resolve(RunDirectory.CONFIG);
      ConfigLoader.Parsed parsed = loader.parseWithLocations(file.toString(), Files.readString(file));
      ResolvedConfig rc = switched(loader.resolve(file, parsed.config(), parsed.locations()), host, backend);
      ConfigValidator.check(rc);
      return new RunSession(host, loader, rc, run);
    } catch (RuntimeException | IOException e) {
      host.close();
      throw e;
    }
  }

  /** The config with {@code --backend ID} applied; unchanged when {@code backend} is null. */
  static ResolvedConfig switched(ResolvedConfig rc, PluginHost host, String backend) {
    return backend == null ? rc : BackendSwitch.apply(rc, host.registry(), backend, "--backend");
  }

  /** An instance from the run's injector; a plugin's refusal of its options surfaces as a config error. */
  <T> T get(Class<T> type) {
    return get(injector, type);
  }

  /**
   * An instance from an injector, with Guice's provisioning report unwrapped: a plugin's refusal of its options is
   * the config error (one line, exit 2) that the plugin's wiring made of it, not a Guice dump.
   */
  static <T> T get(Injector injector, Class<T> type) {
    try {
      return injector.getInstance(type);
    } catch (ProvisionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  @Override
  public void close() {
    try {
      module.close();
    } finally {
      host.close();
    }
  }
}
