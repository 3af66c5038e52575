package dev.enas.runtime.plugin;

import dev.enas.api.plugin.Plugin;
import dev.enas.api.plugin.PluginKind;
import dev.enas.runtime.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of plugins inside the host, filled from the classpath or from OSGi bundles. It remembers every
 * problem, so one broken jar never stops the rest. Two jars that provide one kind and id are a {@link PluginConflict}:
 * both are kept and listed, neither wins by file-name order, and a run that uses the id must name the jar
 * ({@link #get(PluginKind, String, String)}); runs that do not use it are unaffected.
 */
public final class PluginRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

  private final Map<PluginKind, Map<String, List<PluginDescriptor>>> byKind = new EnumMap<>(PluginKind.class);
  private final List<PluginProblem> problems = new ArrayList<>();

  public PluginRegistry() {
    for (PluginKind k : PluginKind.values()) {
      byKind.put(k, new TreeMap<>());
    }
  }

  /**
   * Adds a provider. A second provider of the same kind and id from another jar is kept too, as a conflict (see
   * {@link #conflicts()}); the same provider class from the same jar seen twice is ignored.
   *
   * @return whether the provider was added
   */
  public synchronized boolean register(PluginDescriptor d) {
    if (d.id() == null || d.id().isBlank()) {
      problem(d.source(), d.kind().label() + " plugin " + d.provider().getClass().getName() + " has a blank id");
      return false;
    }
    List<PluginDescriptor> same = byKind.get(d.kind()).computeIfAbsent(d.id(), k -> new ArrayList<>());
    for (PluginDescriptor e : same) {
      if (e.source().equals(d.source()) && e.provider().getClass().getName().equals(d.provider().getClass().getName())) {
        return false;
      }
    }
    same.add(d);
    return true;
  }

  /** Records a problem and logs it as one warning. */
  public synchronized void problem(String source, String cause) {
    PluginProblem p = new PluginProblem(source, cause);
    problems.add(p);
    LOG.warn("plugin {}", p);
  }

  public synchronized List<PluginProblem> problems() {
    return List.copyOf(problems);
  }

  /** Every id of one kind that more than one provider claims, with all of them. */
  public synchronized List<PluginConflict> conflicts() {
    List<PluginConflict> all = new ArrayList<>();
    for (Map.Entry<PluginKind, Map<String, List<PluginDescriptor>>> k : byKind.entrySet()) {
      for (Map.Entry<String, List<PluginDescriptor>> e : k.getValue().entrySet()) {
        if (e.getValue().size() > 1) {
          all.add(new PluginConflict(k.getKey(), e.getKey(), e.getValue()));
        }
      }
    }
    return all;
  }

  /** Whether this provider's kind and id are claimed by another provider too. */
  public synchronized boolean inConflict(PluginDescriptor d) {
    List<PluginDescriptor> same = byKind.get(d.kind()).get(d.id());
    return same != null && same.size() > 1;
  }

  /** Logs one warning per conflict, naming every jar; called once discovery is complete. */
  public void warnAboutConflicts() {
    for (PluginConflict c : conflicts()) {
      LOG.warn("plugin id conflict: {}", c.describe());
    }
  }

  /** Every plugin, by kind then id, conflicting providers of one id in discovery order. */
  public synchronized List<PluginDescriptor> all() {
    List<PluginDescriptor> all = new ArrayList<>();
    for (Map<String, List<PluginDescriptor>> m : byKind.values()) {
      m.values().forEach(all::addAll);
    }
    return Collections.unmodifiableList(all);
  }

  public synchronized List<String> ids(PluginKind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  /**
   * The plugin of this kind and id; an unknown id is an error naming the ids available, an id that two jars
   * provide is a {@link PluginConflictException} naming both.
   */
  public synchronized PluginDescriptor get(PluginKind kind, String id) {
    return get(kind, id, null);
  }

  /**
   * The plugin of this kind and id from the jar named {@code jar} (its file name as {@code enas plugins} shows it, or
   * its full path); {@code jar} null or empty means the only provider of the id.
   */
  public synchronized PluginDescriptor get(PluginKind kind, String id, String jar) {
    List<PluginDescriptor> same = byKind.get(kind).get(id);
    if (same == null || same.isEmpty()) {
      List<String> ids = ids(kind);
      throw new UnknownPluginException("unknown " + kind.label() + " plugin '" + id + "'; available: "
          + (ids.isEmpty() ? "none (is the plugins directory empty?)" : String.join(", ", ids)));
    }
    if (jar == null || jar.isEmpty()) {
      if (same.size() > 1) {
        throw new PluginConflictException(new PluginConflict(kind, id, same));
      }
      return same.get(0);
    }
    List<PluginDescriptor> picked = same.stream()
        .filter(d -> d.source().equals(jar) || PluginConflict.fileName(d.source()).equals(jar))
        .toList();
    if (picked.isEmpty()) {
      throw new ConfigException(kind.label() + " plugin '" + id + "' does not come from a jar named '" + jar
          + "'; it comes from " + String.join(", ", new PluginConflict(kind, id, same).jars()));
    }
    if (picked.size() > 1) {
      throw new PluginConflictException(new PluginConflict(kind, id, picked));
    }
    return picked.get(0);
  }

  /** The provider of this kind and id, typed. */
  public <P extends Plugin<?>> P provider(PluginKind kind, String id, Class<P> type) {
    return type.cast(get(kind, id).provider());
  }

  /** The provider of this kind and id from the jar named {@code jar} (null: the only one), typed. */
  public <P extends Plugin<?>> P provider(PluginKind kind, String id, String jar, Class<P> type) {
    return type.cast(get(kind, id, jar).provider());
  }
}
