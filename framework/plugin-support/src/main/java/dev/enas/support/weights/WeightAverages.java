package dev.enas.support.weights;

import dev.enas.api.ir.ParamKey;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Averaged SGD's running means: for every trained tensor of a {@link SharedWeights} store, the mean of its values
 * after each step since averaging started (the weights at the start count as the first). The store stays what
 * training updates; {@link #swap} exchanges its values with the means in place, so that every backend's evaluation
 * and save, which read the store, see the averaged model until the next swap.
 */
public final class WeightAverages {
  private final Map<ParamKey, float[]> means = new TreeMap<>();
  private long count;
  private boolean swapped;

  /** Starts the means at the store's trained tensors as they are now. */
  public static WeightAverages start(SharedWeights weights) {
    WeightAverages a = new WeightAverages();
    a.count = 1;
    for (Map.Entry<ParamKey, SharedWeights.Entry> e : weights.entries().entrySet()) {
      if (e.getValue().trainable) {
        a.means.put(e.getKey(), e.getValue().values.clone());
      }
    }
    return a;
  }

  /** Means read back from a file: {@code count} steps' worth, one array per tensor key. */
  public static WeightAverages restored(long count, Map<ParamKey, float[]> means) {
    if (count < 1) {
      throw new IllegalArgumentException("running means over " + count + " steps");
    }
    WeightAverages a = new WeightAverages();
    a.count = count;
    a.means.putAll(means);
    return a;
  }

  /**
   * Folds the store's values after one more step into the means: mean += (w - mean) / n. A tensor that appeared
   * since the start (a child that used a new key) starts its mean at its current values.
   */
  public void update(SharedWeights weights) {
    if (swapped) {
      throw new IllegalStateException("the averaged weights are in use (swapAveraged): swap back before training");
    }
    count++;
    float inv = (float) (1.0 / count);
    for (Map.Entry<ParamKey, SharedWeights.Entry> e : weights.entries().entrySet()) {
      if (!e.getValue().trainable) {
        continue;
      }
      float[] w = e.getValue().values;
      float[] m = means.get(e.getKey());
      if (m == null) {
        means.put(e.getKey(), w.clone());
        continue;
      }
      for (int i = 0; i < w.length; i++) {
        m[i] += (w[i] - m[i]) * inv;
      }
    }
  }

  /** Exchanges the store's values with the means, tensor by tensor; a second call restores them. */
  public void swap(SharedWeights weights) {
    for (Map.Entry<ParamKey, float[]> e : means.entrySet()) {
      SharedWeights.Entry w = weights.get(e.getKey());
      if (w == null) {
        continue;
      }
      float[] m = e.getValue();
      float[] tmp = w.values.clone();
      System.arraycopy(m, 0, w.values, 0, m.length);
      System.arraycopy(tmp, 0, m, 0, m.length);
    }
    swapped = !swapped;
  }

  public boolean swapped() {
    return swapped;
  }

  /** How many steps' weights the means are over (the start counts as one). */
  public long count() {
    return count;
  }

  /** The means by key (while swapped: the plain weights training goes on with). */
  public Map<ParamKey, float[]> means() {
    return Collections.unmodifiableMap(means);
  }
}
