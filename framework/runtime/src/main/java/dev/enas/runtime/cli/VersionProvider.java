package dev.enas.runtime.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the host's version from its jar manifest. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"enas " + (v == null ? "(development build)" : v) + ", Java " + System.getProperty("java.version")};
  }
}
