package dev.enas.support.weights;

import dev.enas.api.plugin.OptionException;

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
  public static final double DEFAULT_MOMENTUM = 0.9;
  public static final double DEFAULT_WEIGHT_DECAY = 1e-4;
  public static final double DEFAULT_CLIP_BOUND = 5.0;

  /**
   * The settings from a backend's options, every backend alike: {@code null} (an unset option) takes the default
   * (momentum 0.9, Nesterov, weight decay 1e-4, global-norm clipping at 5), and a value out of range is an
   * {@link OptionException} naming the option ({@code momentum}, {@code weight_decay}, {@code clip_bound}).
   */
  public static OptimizerSettings of(Double momentum, Boolean nesterov, Double weightDecay, Clip clip,
      Double clipBound) {
    double mu = momentum != null ? momentum : DEFAULT_MOMENTUM;
    require(mu >= 0 && mu < 1, "momentum", "must be in [0, 1), got " + mu);
    double decay = weightDecay != null ? weightDecay : DEFAULT_WEIGHT_DECAY;
    require(decay >= 0 && Double.isFinite(decay), "weight_decay", "must be a finite value >= 0, got " + decay);
    double bound = clipBound != null ? clipBound : DEFAULT_CLIP_BOUND;
    require(bound > 0 && Double.isFinite(bound), "clip_bound", "must be a finite value > 0, got " + bound);
    return new OptimizerSettings(mu, nesterov == null || nesterov, decay, clip == null ? Clip.GLOBAL_NORM : clip,
        bound);
  }

  static void require(boolean ok, String option, String problem) {
    if (!ok) {
      throw new OptionException(option, problem);
    }
  }

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
