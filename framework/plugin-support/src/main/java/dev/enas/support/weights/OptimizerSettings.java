package dev.enas.support.weights;

/**
 * What the child optimiser needs from a backend's options, with defaults filled in and values checked by the backend.
 *
 * @param momentum the momentum coefficient in [0, 1); 0 is plain SGD
 * @param nesterov whether momentum takes TensorFlow's Nesterov form
 * @param weightDecay λ of the L2 term λ·Σw² added to the loss
 * @param clip how gradients are clipped
 * @param clipBound the norm clipping bounds to
 */
public record OptimizerSettings(double momentum, boolean nesterov, double weightDecay, Clip clip, double clipBound) {

  /** How gradients are clipped. */
  public enum Clip {
    /** All gradients scaled together so their global norm is at most the bound. */
    GLOBAL_NORM,
    /** Each tensor's gradient scaled on its own. */
    PER_TENSOR_NORM,
    /** No clipping. */
    NONE
  }
}
