package dev.enas.runtime.plugin;

/** A plugin jar that could not be used, and why: not a bundle, a missing class, a failing constructor, a duplicate id. */
public record PluginProblem(String source, String cause) {

  @Override
  public String toString() {
    return source + ": " + cause;
  }
}
