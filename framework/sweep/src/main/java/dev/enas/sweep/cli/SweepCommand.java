package dev.enas.sweep.cli;

import com.google.protobuf.TextFormat;
import dev.enas.proto.RunConfig;
import dev.enas.proto.SweepConfig;
import dev.enas.proto.SweepIndex;
import dev.enas.proto.Trial;
import dev.enas.proto.TrialStatus;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.cli.HostOptions;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ConfigValidator;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.sweep.config.SweepConfigs;
import dev.enas.sweep.config.TrialPlan;
import dev.enas.sweep.index.SweepDirectory;
import dev.enas.sweep.spark.SparkSettings;
import dev.enas.sweep.spark.SparkSweep;
import dev.enas.sweep.trial.ProcessPlugins;
import dev.enas.sweep.trial.TrialTask;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code enas sweep SWEEP_CONFIG}: many runs of one config along axes, on Apache Spark. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Run a sweep: every combination of the sweep config's axes applied to its base run config, each "
        + "trial an ordinary run directory (search, then derive and retrain when asked), executed on Apache Spark: "
        + "embedded local[N] by default, or a cluster with --master. SWEEP_DIR/index.pbtxt holds every trial's status "
        + "and results; summary.csv and summary.md the mean ± 95%% CI per group (the axes other than the seed).",
        "On a cluster the sweep directory must be on a path every worker sees (a shared file system at the same "
            + "path), and the enas distribution installed at the same path on every worker; both are checked before "
            + "any trial runs.",
        "A trial whose task or executor dies is started again and continues from its last checkpoint; --resume "
            + "SWEEP_DIR finishes only what is unfinished. Exit 0 when every trial finished, 1 when some failed."})
public final class SweepCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SWEEP_CONFIG", description = "Sweep config (.pbtxt).")
  Path config;

  @Option(names = "--resume", paramLabel = "SWEEP_DIR",
      description = "Continue the sweep in SWEEP_DIR: trials that neither finished nor failed run (each from its "
          + "checkpoints); finished and failed ones are kept.")
  Path resume;

  @Option(names = "--sweep-dir", paramLabel = "DIR",
      description = "Sweep directory (default: the config's sweep_dir, else sweeps/<config name>).")
  Path sweepDir;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[N] (the default, N trials at once in this JVM) or spark://HOST:PORT.")
  String master;

  @Option(names = "--parallel", paramLabel = "N",
      description = "Trials at once on local[N] (default: the cores, at most the number of trials).")
  int parallel;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A Spark setting, e.g. --conf spark.executor.memory=4g (repeatable).")
  List<String> conf = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if ((config == null) == (resume == null)) {
      throw new ConfigException("give either SWEEP_CONFIG (a new sweep) or --resume SWEEP_DIR");
    }
    if (resume != null && sweepDir != null) {
      throw new ConfigException("--sweep-dir is for a new sweep; --resume names the directory already");
    }
    SparkLogging.quiet(spec.commandLine().getParseResult().hasMatchedOption("--verbose"));
    System.setProperty("enas.progress", "log");
    // local[N] runs trials in this JVM: they borrow this host (natives load in one class loader per process)
    PluginHost plugins = host.open();
    ProcessPlugins.install(plugins);
    SweepDirectory dir;
    SweepConfig sweep;
    SweepIndex index;
    if (resume != null) {
      dir = new SweepDirectory(resume);
      sweep = dir.config();
      index = dir.index();
    } else {
      sweep = SweepConfigs.read(config);
      dir = new SweepDirectory(sweepDir != null ? sweepDir
          : !sweep.getSweepDir().isEmpty() ? Path.of(sweep.getSweepDir()) : Path.of("sweeps", stem(config)));
      if (dir.hasSweep()) {
        throw new ConfigException(dir.path() + " already holds a sweep; continue it with enas sweep --resume "
            + dir.path() + ", or choose another --sweep-dir");
      }
      index = null;
    }
    List<Trial> todo = new ArrayList<>();
    int pending = resume != null ? (int) index.getTrialList().stream().filter(SweepCommand::unfinished).count() : 0;
    SparkSettings settings;
    if (resume == null) {
      ConfigLoader loader = new ConfigLoader(plugins.registry());
      Path baseFile = Path.of(sweep.getBaseConfig());
      RunConfig base = loader.parseWithLocations(baseFile.toString(), read(baseFile)).config();
      // a base config that cannot run fails the sweep up front, not each trial
      ConfigValidator.check(loader.load(baseFile));
      int trials = TrialPlan.expand(sweep, base, plugins.registry(), 1).size();
      settings = SparkSettings.of(master, parallel, sweep.getThreadsPerTrial(), SweepConfigs.maxAttempts(sweep),
          trials, conf);
      List<TrialPlan.Planned> plan = TrialPlan.expand(sweep, base, plugins.registry(), settings.threads());
      TextFormat.Printer printer = TextFormat.printer().usingTypeRegistry(loader.typeRegistry());
      Files.createDirectories(dir.path());
      dir.writeConfig(sweep.toBuilder().setSweepDir(dir.path().toString()).build());
      SweepIndex.Builder ib = SweepIndex.newBuilder().setName(sweep.getName().isEmpty() ? stem(config)
          : sweep.getName());
      for (TrialPlan.Planned p : plan) {
        Path c = dir.resolve(p.trial().getDir()).resolve(TrialTask.CONFIG);
        Files.createDirectories(c.getParent());
        AtomicFiles.write(c, ("# " + p.trial().getId() + " of sweep " + ib.getName() + ": "
            + p.trial().getValuesList().stream().map(v -> v.getPath() + " = " + v.getValue()).toList() + "\n"
            + printer.printToString(p.config())).getBytes(StandardCharsets.UTF_8));
        ib.addTrial(p.trial());
      }
      index = ib.build();
      dir.writeIndex(index);
      todo.addAll(index.getTrialList());
    } else {
      settings = SparkSettings.of(master, parallel, sweep.getThreadsPerTrial(), SweepConfigs.maxAttempts(sweep),
          Math.max(1, pending), conf);
      index.getTrialList().stream().filter(SweepCommand::unfinished).forEach(todo::add);
      out.println("resuming sweep " + dir.path() + ": " + todo.size() + " of " + index.getTrialCount()
          + " trials to finish");
    }
    out.println("sweep directory: " + dir.path());
    out.println(index.getTrialCount() + " trials on " + settings.master() + ", " + settings.threads()
        + " thread(s) per trial");
    out.flush();
    List<TrialTask> tasks = new ArrayList<>();
    for (Trial t : todo) {
      tasks.add(new TrialTask(dir.path().toString(), t.getId(), t.getDir(), sweep.getDerive(),
          sweep.hasRetrain() ? sweep.getRetrain().getEpochs() : -1, sweep.getRetrain().getSearchPreset(),
          sweep.hasArch() ? sweep.getArch() : null));
    }
    SweepIndex done = tasks.isEmpty() ? index
        : new SparkSweep(settings.conf("enas sweep " + index.getName()), !settings.local(), out)
            .run(dir, index, tasks);
    dir.writeIndex(done);
    long failed = done.getTrialList().stream().filter(t -> t.getStatus() == TrialStatus.TRIAL_FAILED).count();
    out.println("summary: " + dir.resolve(SweepDirectory.SUMMARY_MD));
    out.print(Files.readString(dir.resolve(SweepDirectory.SUMMARY_MD)));
    if (failed > 0) {
      spec.commandLine().getErr().println("error: " + failed + " of " + done.getTrialCount()
          + " trials failed; index.pbtxt has each one's message");
      return 1;
    }
    return 0;
  }

  private static boolean unfinished(Trial t) {
    return t.getStatus() != TrialStatus.TRIAL_FINISHED && t.getStatus() != TrialStatus.TRIAL_FAILED;
  }

  private static String read(Path file) throws java.io.IOException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("base_config " + file + " does not exist");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
