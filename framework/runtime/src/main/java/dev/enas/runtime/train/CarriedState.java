package dev.enas.runtime.train;

import dev.enas.api.dataset.Batch;

/**
 * The state a language model carries from one window of a token stream to the next (truncated backpropagation
 * through time, as the authors' enas_lm trains and evaluates): a window that {@linkplain Batch.Tokens#continues
 * continues} the one this carrier last kept, at the next batch index, starts from that window's final state; any
 * other batch starts from zeros. Image batches, and models without a state, pass through unchanged.
 *
 * <p>A carrier starts empty, and the host resets it at every epoch start: a checkpoint is written between epochs, so
 * a resumed run starts its epoch from zeros exactly as the uninterrupted run did.
 */
public final class CarriedState {
  private float[] state;
  private long next = -1;
  private int size = -1;

  /** The batch as the backend should see it: with the kept state when it continues the kept window. */
  public Batch feed(Batch batch, long index) {
    if (batch instanceof Batch.Tokens t && t.continues() && state != null && index == next && t.size() == size) {
      return t.withState(state);
    }
    return batch;
  }

  /** Keeps the final state the backend returned for the batch at {@code index} (null: nothing to carry). */
  public void keep(Batch batch, long index, float[] finalState) {
    state = finalState;
    next = index + 1;
    size = batch.size();
  }

  /** Forgets the kept state: the next batch starts from zeros. */
  public void reset() {
    state = null;
    next = -1;
    size = -1;
  }
}
