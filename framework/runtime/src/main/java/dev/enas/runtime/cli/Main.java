package dev.enas.runtime.cli;

import dev.enas.api.backend.BackendUnavailableException;
import dev.enas.runtime.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code enas} command. Exit codes: 0 ok, 2 usage or config error, 1 failure at run time. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    StderrRoute.apply();
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line with the given output streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new EnasCommand());
    for (CommandExtension e : java.util.ServiceLoader.load(CommandExtension.class, Main.class.getClassLoader())) {
      cl.addSubcommand(e.command());
    }
    // "@FILE" names an architecture file for arch show and train, not a picocli argument file
    cl.setExpandAtFiles(false);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof ConfigException || ex instanceof dev.enas.runtime.checkpoint.CheckpointException) {
        line.getErr().println("error: " + ex.getMessage());
        return CommandLine.ExitCode.USAGE;
      }
      BackendUnavailableException unavailable = unavailable(ex);
      if (unavailable != null) {
        // natives missing or unloadable: what to install, not where it failed
        line.getErr().println("error: " + userMessage(unavailable));
        return CommandLine.ExitCode.USAGE;
      }
      line.getErr().println("error: " + userMessage(ex));
      // --verbose belongs to the subcommand that failed, whose parse result is on its own CommandLine
      if (line.getParseResult().hasMatchedOption("--verbose") || Boolean.getBoolean("enas.debug")) {
        ex.printStackTrace(line.getErr());
      }
      return CommandLine.ExitCode.SOFTWARE;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** A backend that cannot start on this machine, anywhere in a failure's causes; null when none. */
  static BackendUnavailableException unavailable(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof BackendUnavailableException b) {
        return b;
      }
    }
    return null;
  }

  private static final java.util.regex.Pattern CLASS_PREFIX =
      java.util.regex.Pattern.compile("^(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?::\\s*|$)");

  /**
   * What a user reads of a failure: its message, or its cause's, without the Java class names that wrapping
   * exceptions put in front (the stack trace, with {@code --verbose}, has them).
   */
  static String userMessage(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      String m = t.getMessage();
      while (m != null && CLASS_PREFIX.matcher(m).find()) {
        m = CLASS_PREFIX.matcher(m).replaceFirst("");
      }
      if (m != null && !m.isBlank()) {
        return m;
      }
    }
    return "an unexpected failure without a message; run with --verbose for where it happened";
  }
}
