package dev.enas.api.ir;

/**
 * One tensor an op owns: its key, shape and initialiser. Non-trainable tensors (batch-norm moving
 * statistics) are state that is saved with the weights but not touched by the optimiser.
 *
 * @param decayed whether the optimiser's weight decay applies to it: every trainable tensor but those declared
 *     {@link #undecayed} (a language model's embedding table and softmax bias, which enas_lm does not decay)
 */
public record ParamSpec(ParamKey key, TensorShape shape, Init init, boolean trainable, boolean decayed) {

  public ParamSpec {
    if (decayed && !trainable) {
      throw new IrException("parameter " + key + " is not trainable, so it cannot be weight-decayed");
    }
  }

  /** A tensor that weight decay applies to when it is trainable. */
  public ParamSpec(ParamKey key, TensorShape shape, Init init, boolean trainable) {
    this(key, shape, init, trainable, trainable);
  }

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

  /** Trainable, but left out of the optimiser's weight decay. */
  public static ParamSpec undecayed(ParamKey key, TensorShape shape, Init init) {
    return new ParamSpec(key, shape, init, true, false);
  }

  public static ParamSpec state(ParamKey key, TensorShape shape, Init init) {
    return new ParamSpec(key, shape, init, false);
  }
}
