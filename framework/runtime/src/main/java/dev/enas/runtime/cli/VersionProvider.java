package dev.enas.runtime.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the host's version from its jar manifest, or the version the build wrote into enas.properties. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    if (v == null && !dev.enas.runtime.ProjectVersion.maven().equals("0.0.0")) {
      v = dev.enas.runtime.ProjectVersion.maven();
    }
    return new String[] {"enas " + (v == null ? "(development build)" : v) + ", Java " + System.getProperty("java.version")};
  }
}
