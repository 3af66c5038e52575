package dev.enas.sweep.cli;

import dev.enas.runtime.cli.CommandExtension;

/** Adds {@code enas sweep} to the CLI when this module is on the host's class path (the distribution's lib/). */
public final class SweepCommandExtension implements CommandExtension {
  @Override
  public Object command() {
    return new SweepCommand();
  }
}
