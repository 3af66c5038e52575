package dev.enas.runtime.plugin;

import dev.enas.api.plugin.PluginKind;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Two or more jars provide a plugin of one kind with one id. Neither wins by itself: a run that uses the id must
 * name the jar ({@code jar:} in the config's plugin block), and every other plugin keeps working.
 *
 * @param providers in discovery order, at least two
 */
public record PluginConflict(PluginKind kind, String id, List<PluginDescriptor> providers) {

  public PluginConflict {
    providers = List.copyOf(providers);
  }

  /** The jars, by file name (full path where two share a file name), in discovery order. */
  public List<String> jars() {
    Set<String> names = new HashSet<>();
    boolean clash = providers.stream().map(d -> fileName(d.source())).anyMatch(n -> !names.add(n));
    return providers.stream().map(d -> clash ? d.source() : fileName(d.source())).distinct().toList();
  }

  /** One line: which jars provide the id, and how to choose. */
  public String describe() {
    List<String> jars = jars();
    if (jars.size() < providers.size()) {
      return "more than one provider of " + kind.label() + " '" + id + "' in " + String.join(", ", jars) + " ("
          + classes(providers) + "); ids must be unique, so the jar must be fixed or removed";
    }
    return which() + "; a run that uses it must say which jar wins, e.g. " + kind.label() + " { id: \"" + id
        + "\" jar: \"" + jars.get(jars.size() - 1) + "\" } in its config, or one of the jars must go from the plugins "
        + "directory";
  }

  /** The first half of {@link #describe()}: how many jars provide the id, and which. */
  public String which() {
    List<String> jars = jars();
    return jars.size() + " plugin jars provide " + kind.label() + " '" + id + "': " + String.join(", ", jars);
  }

  /** The file name of a source path, or the source itself when it has none. */
  public static String fileName(String source) {
    try {
      Path p = Path.of(source);
      return p.getFileName() == null ? source : p.getFileName().toString();
    } catch (RuntimeException e) {
      return source;
    }
  }

  static String classes(List<PluginDescriptor> providers) {
    return providers.stream().map(d -> d.provider().getClass().getName()).collect(Collectors.joining(", "));
  }
}
