package dev.enas.api.reward;

/**
 * What an evaluation of one child on one validation batch measured.
 *
 * @param loss mean cross-entropy per example (per token for language models)
 * @param accuracy fraction of correct top-1 predictions
 * @param parameterCount trainable scalars of the child
 * @param latencyMillis wall time of the evaluation batch
 */
public record ChildMetrics(double loss, double accuracy, long parameterCount, double latencyMillis) {

  /** exp(loss), the perplexity of a language model. */
  public double perplexity() {
    return Math.exp(loss);
  }
}
