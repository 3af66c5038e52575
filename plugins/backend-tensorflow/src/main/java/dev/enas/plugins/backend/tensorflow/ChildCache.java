package dev.enas.plugins.backend.tensorflow;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A bounded least-recently-used cache of compiled children keyed by structure: a child met again (an evaluation
 * after training, the derived child trained for many steps) reuses its graph and session. Evicted entries are
 * closed at once, so native memory stays bounded however many children are sampled.
 */
final class ChildCache implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<String, CompiledChild> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long hits;
  private long misses;

  ChildCache(int capacity) {
    this.capacity = capacity;
  }

  /** Applies {@code use} to the compiled child for {@code key}, compiling it on a miss. */
  <R> R with(String key, Supplier<CompiledChild> compile, Function<CompiledChild, R> use) {
    if (capacity == 0) {
      misses++;
      try (CompiledChild c = compile.get()) {
        return use.apply(c);
      }
    }
    CompiledChild c = entries.get(key);
    if (c == null) {
      misses++;
      c = compile.get();
      entries.put(key, c);
      evictBeyondCapacity();
    } else {
      hits++;
    }
    return use.apply(c);
  }

  private void evictBeyondCapacity() {
    Iterator<Map.Entry<String, CompiledChild>> it = entries.entrySet().iterator();
    while (entries.size() > capacity && it.hasNext()) {
      CompiledChild eldest = it.next().getValue();
      it.remove();
      eldest.close();
    }
  }

  /** Whether a compiled child for the key is held (without touching its recency). */
  boolean contains(String key) {
    return entries.containsKey(key);
  }

  int size() {
    return entries.size();
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  @Override
  public void close() {
    for (CompiledChild c : entries.values()) {
      c.close();
    }
    entries.clear();
  }
}
