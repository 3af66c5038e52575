package dev.enas.api.backend;

/**
 * Mean loss and accuracy of a child on one batch, in inference mode.
 *
 * @param state for a token batch of a model with a carried state, the state after the batch's last step (as {@link
 *     TrainResult#state}); else null
 */
public record Evaluation(double loss, double accuracy, int examples, double millis, float[] state) {

  /** An evaluation with no carried state. */
  public Evaluation(double loss, double accuracy, int examples, double millis) {
    this(loss, accuracy, examples, millis, null);
  }
}
