package dev.enas.api.ir;

/**
 * One tensor an op owns: its key, shape and initialiser. Non-trainable tensors (batch-norm moving
 * statistics) are state that is saved with the weights but not touched by the optimiser.
 */
public record ParamSpec(ParamKey key, TensorShape shape, Init init, boolean trainable) {

  /** How a tensor is initialised. */
  public enum Init {
    /** He-normal over the fan-in (all but the last dimension), for convolutions and dense layers. */
    HE_NORMAL,
    /** Uniform in [-0.05, 0.05], for embeddings and recurrent weights. */
    UNIFORM_SMALL,
    ZEROS,
    ONES
  }

  public static ParamSpec trainable(ParamKey key, TensorShape shape, Init init) {
    return new ParamSpec(key, shape, init, true);
  }

  public static ParamSpec state(ParamKey key, TensorShape shape, Init init) {
    return new ParamSpec(key, shape, init, false);
  }
}
