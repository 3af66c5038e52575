package dev.enas.runtime.cli;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.StepProfile;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.space.SearchSpace;
import dev.enas.runtime.bench.BackendBench;
import dev.enas.runtime.bench.ControllerBench;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.plugin.PluginHost;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code enas bench}: measure backends and controllers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure backends and controllers.",
    subcommands = {BenchCommand.BackendCmd.class, BenchCommand.ControllerCmd.class})
public final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: backend, controller");
  }

  /**
   * {@code enas bench backend}: steps/s, examples/s (images or sequences), GFLOP/s, new-child overhead and peak RSS.
   */
  @Command(name = "backend", mixinStandardHelpOptions = true,
      description = "Train a space's children on a backend: one child repeated vs a new child every step.")
  static final class BackendCmd implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Option(names = "--space", required = true, paramLabel = "ID", description = "Space plugin id.")
    String space;

    @Mixin
    SpaceSelection spaceSelection;

    @Option(names = "--backend", defaultValue = "tensorflow", paramLabel = "ID", description = "Backend plugin id (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--backend-options", paramLabel = "TEXT", description = "Backend options in text format.")
    String backendOptions;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "20", description = "Timed steps per mode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sampled children (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--profile", description = "Then train --steps new children while the backend records where "
        + "each step's time goes, and print it: the step's phases and the engine's ops by type.")
    boolean profile;

    @Option(names = "--arch", paramLabel = "ARCH", description = "The repeated child's architecture string, or @FILE "
        + "(default: the first child sampled); the report prints it either way, for `enas arch show --ir-json`.")
    String arch;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Integer call() throws Exception {
      if (batch <= 0 || steps <= 0 || warmup < 0) {
        throw new ConfigException("--batch and --steps must be positive, --warmup not negative");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (PluginHost h = host.open()) {
        SearchSpace s = spaceSelection.create(h, space);
        Architecture fixed = null;
        if (arch != null) {
          try {
            fixed = s.parse(ArchCommand.text(arch));
          } catch (ArchitectureFormatException e) {
            throw new ConfigException("bad " + spaceSelection.label(space) + " architecture: " + e.getMessage());
          }
        }
        BackendProvider bp = h.registry().provider(PluginKind.BACKEND, backend, BackendProvider.class);
        try (Backend b = bp.create(SpaceSelection.options(bp, backendOptions, "--backend-options"), seed)) {
          String setting = spaceSelection.label(space);
          out.print(BackendBench.run(setting, s, b, batch, steps, warmup, seed, fixed).format());
          if (profile) {
            out.flush();
            StepProfile p;
            try {
              p = BackendBench.profile(s, b, batch, steps, seed);
            } catch (UnsupportedOperationException e) {
              throw new ConfigException("--profile: backend " + backend + " cannot profile its steps (" + e.getMessage()
                  + ")");
            }
            out.print(BackendBench.format(p));
          }
        }
      }
      return 0;
    }
  }

  /** {@code enas bench controller}: microseconds per sampled architecture. */
  @Command(name = "controller", mixinStandardHelpOptions = true,
      description = "Time how long a controller takes to sample one architecture of a space.")
  static final class ControllerCmd implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Option(names = "--space", required = true, paramLabel = "ID", description = "Space plugin id.")
    String space;

    @Mixin
    SpaceSelection spaceSelection;

    @Option(names = "--controller", defaultValue = "reinforce", paramLabel = "ID",
        description = "Controller plugin id (default: ${DEFAULT-VALUE}).")
    String controller;

    @Option(names = "--controller-options", paramLabel = "TEXT",
        description = "Controller options in text format, e.g. 'preset: MICRO_CODE'.")
    String controllerOptions;

    @Option(names = "--samples", defaultValue = "20000", description = "Timed samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (PluginHost h = host.open()) {
        SearchSpace s = spaceSelection.create(h, space);
        ControllerProvider cp = h.registry().provider(PluginKind.CONTROLLER, controller, ControllerProvider.class);
        Controller c = cp.create(SpaceSelection.options(cp, controllerOptions, "--controller-options"), s.schema(), 1);
        double us = ControllerBench.microsPerSample(c, samples, Math.max(1000, samples / 10));
        String label = controller + (controllerOptions == null ? "" : " {" + controllerOptions + "}");
        out.println(ControllerBench.format(label, spaceSelection.label(space), us, samples));
      }
      return 0;
    }
  }
}
