package dev.enas.support.weights;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one store of shared tensors, keyed by parameter key: each tensor's values and, for trainable ones, its
 * momentum slot. A tensor is created the first time a child uses its key; parameter sharing is key equality.
 */
public final class SharedWeights {

  /** One shared tensor: its shape, whether the optimiser trains it, its values and its momentum slot. */
  public static final class Entry {
    public final TensorShape shape;
    public final boolean trainable;
    public final float[] values;
    public final float[] momentum;

    public Entry(TensorShape shape, boolean trainable, float[] values, float[] momentum) {
      this.shape = shape;
      this.trainable = trainable;
      this.values = values;
      this.momentum = momentum;
    }
  }

  private final long seed;
  private final Map<ParamKey, Entry> entries = new TreeMap<>();

  public SharedWeights(long seed) {
    this.seed = seed;
  }

  /** The entry for a spec, created from its initialiser on first use; a key seen with another shape is an error. */
  public Entry entry(ParamSpec spec) {
    Entry e = entries.get(spec.key());
    if (e == null) {
      float[] values = ParamInit.values(spec, seed);
      e = new Entry(spec.shape(), spec.trainable(), values, spec.trainable() ? new float[values.length] : null);
      entries.put(spec.key(), e);
    } else if (!e.shape.equals(spec.shape())) {
      throw new IllegalArgumentException("parameter " + spec.key() + " is shared with shape " + e.shape
          + " but a child uses it with shape " + spec.shape());
    } else if (e.trainable != spec.trainable()) {
      throw new IllegalArgumentException("parameter " + spec.key() + " is used both as a trainable tensor and as state");
    }
    return e;
  }

  /** The entry for a key, or null if no child has used it yet. */
  public Entry get(ParamKey key) {
    return entries.get(key);
  }

  /** All entries, ordered by key. */
  public Map<ParamKey, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** Replaces the whole store (used by load). */
  public void replaceAll(Map<ParamKey, Entry> loaded) {
    entries.clear();
    entries.putAll(loaded);
  }

  /** A copy of a tensor's values, for tests and tools. */
  public float[] copyOf(ParamKey key) {
    Entry e = entries.get(key);
    return e == null ? null : Arrays.copyOf(e.values, e.values.length);
  }
}
