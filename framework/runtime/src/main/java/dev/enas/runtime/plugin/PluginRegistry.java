package dev.enas.runtime.plugin;

import dev.enas.api.plugin.Plugin;
import dev.enas.api.plugin.PluginKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of plugins inside the host, filled from the classpath or from OSGi bundles. It
 * refuses duplicates and remembers every problem, so one broken jar never stops the rest.
 */
public final class PluginRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

  private final Map<PluginKind, Map<String, PluginDescriptor>> byKind = new EnumMap<>(PluginKind.class);
  private final List<PluginProblem> problems = new ArrayList<>();

  public PluginRegistry() {
    for (PluginKind k : PluginKind.values()) {
      byKind.put(k, new TreeMap<>());
    }
  }

  /** Adds a provider; a duplicate id of the same kind is refused with a warning naming both sources. */
  public synchronized boolean register(PluginDescriptor d) {
    if (d.id() == null || d.id().isBlank()) {
      problem(d.source(), d.kind().label() + " plugin " + d.provider().getClass().getName() + " has a blank id");
      return false;
    }
    PluginDescriptor existing = byKind.get(d.kind()).putIfAbsent(d.id(), d);
    if (existing != null) {
      problem(d.source(), "duplicate " + d.kind().label() + " plugin id '" + d.id() + "', already provided by "
          + existing.source() + "; keeping the first");
      return false;
    }
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

  /** Every plugin, by kind then id. */
  public synchronized List<PluginDescriptor> all() {
    List<PluginDescriptor> all = new ArrayList<>();
    for (Map<String, PluginDescriptor> m : byKind.values()) {
      all.addAll(m.values());
    }
    return Collections.unmodifiableList(all);
  }

  public synchronized List<String> ids(PluginKind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  /** The plugin of this kind and id; an unknown id is an error naming the ids available. */
  public synchronized PluginDescriptor get(PluginKind kind, String id) {
    PluginDescriptor d = byKind.get(kind).get(id);
    if (d == null) {
      List<String> ids = ids(kind);
      throw new UnknownPluginException("unknown " + kind.label() + " plugin '" + id + "'; available: "
          + (ids.isEmpty() ? "none (is the plugins directory empty?)" : String.join(", ", ids)));
    }
    return d;
  }

  /** The provider of this kind and id, typed. */
  public <P extends Plugin<?>> P provider(PluginKind kind, String id, Class<P> type) {
    return type.cast(get(kind, id).provider());
  }
}
