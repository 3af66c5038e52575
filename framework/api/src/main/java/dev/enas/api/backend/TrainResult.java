package dev.enas.api.backend;

/**
 * Loss and accuracy of one training step on one batch, measured before the update.
 *
 * @param state for a token batch of a model with a carried state, the state after the batch's last step, {@code [size
 *     x width]} row-major (the next window of the same rows starts from it, see {@link
 *     dev.enas.api.dataset.Batch.Tokens#state}); else null
 */
public record TrainResult(double loss, double accuracy, float[] state) {

  /** A result with no carried state. */
  public TrainResult(double loss, double accuracy) {
    this(loss, accuracy, null);
  }
}
