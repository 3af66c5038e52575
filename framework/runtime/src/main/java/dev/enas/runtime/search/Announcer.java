package dev.enas.runtime.search;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Announces children that will be used in a known order to the backend ({@link Backend#prepare}): each once, at most
 * {@link Backend#prepareAhead()} of them ahead of the one in use, never the one in use itself.
 */
public final class Announcer {
  private final Backend backend;
  private final Backend.Use use;
  private final int depth;
  private int announced;

  public Announcer(Backend backend, Backend.Use use) {
    this.backend = backend;
    this.use = use;
    this.depth = Math.max(0, backend.prepareAhead());
  }

  /**
   * Call just before using child {@code k} of {@code children}.
   *
   * @param like a batch like those child {@code j} will be used on
   */
  public void before(int k, List<Graph> children, IntFunction<Batch> like) {
    announced = Math.max(announced, k + 1);
    for (; announced < Math.min(children.size(), k + 1 + depth); announced++) {
      backend.prepare(children.get(announced), like.apply(announced), use);
    }
  }
}
