package dev.enas.runtime.cli;

import picocli.CommandLine.Command;

/** The {@code enas} command: a thin host that runs ENAS through plugins. */
@Command(
    name = "enas",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Efficient Neural Architecture Search on the JVM: search, derive, retrain, through plugins.",
    subcommands = {
        PluginsCommand.class,
        SearchCommand.class,
        ResumeCommand.class,
        DeriveCommand.class,
        TrainCommand.class,
        EvaluateCommand.class,
        ExportCommand.class,
        ReportCommand.class,
        BenchCommand.class,
        ValidateCommand.class,
        SpaceCommand.class,
        ArchCommand.class,
        picocli.CommandLine.HelpCommand.class
    })
public final class EnasCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
