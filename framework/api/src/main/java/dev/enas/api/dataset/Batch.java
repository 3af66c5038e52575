package dev.enas.api.dataset;

import dev.enas.api.ir.TensorShape;

/** One minibatch, in the layout backends feed. */
public sealed interface Batch {

  /** Number of examples (sequences for token batches). */
  int size();

  /**
   * Images in NHWC order, normalised and augmented as configured.
   *
   * @param pixels {@code size * shape.size()} floats
   * @param labels class ids in {@code [0, classes)}
   */
  record Images(int size, TensorShape shape, float[] pixels, int[] labels) implements Batch {
    public Images {
      if (pixels.length != size * shape.size() || labels.length != size) {
        throw new IllegalArgumentException("image batch of " + size + " x " + shape + " got " + pixels.length
            + " pixels and " + labels.length + " labels");
      }
    }
  }

  /**
   * Token sequences for language modelling: {@code targets[i]} follows {@code inputs[i]}.
   *
   * @param inputs {@code size * steps} token ids, row-major
   * @param continues whether each row continues the same row of the split's previous batch (same size) in the token
   *     stream, so that a model with a carried state may start it from that batch's final state (the authors'
   *     truncated backpropagation through time); false for a row's first window
   * @param state the carried state each row starts from, {@code size * width} floats row-major, as a backend returned
   *     it for the previous window ({@code TrainResult.state}, {@code Evaluation.state}); null starts every row from
   *     zeros. Only the host sets it, through {@link #withState}.
   */
  record Tokens(int size, int steps, int[] inputs, int[] targets, boolean continues, float[] state)
      implements Batch {
    public Tokens {
      if (inputs.length != size * steps || targets.length != size * steps) {
        throw new IllegalArgumentException("token batch of " + size + " x " + steps + " got " + inputs.length
            + " inputs and " + targets.length + " targets");
      }
      if (state != null && (state.length == 0 || state.length % size != 0)) {
        throw new IllegalArgumentException("token batch of " + size + " sequences got a carried state of "
            + state.length + " floats, not a multiple of " + size);
      }
    }

    /** Sequences that do not continue a previous batch, each from a zero state. */
    public Tokens(int size, int steps, int[] inputs, int[] targets) {
      this(size, steps, inputs, targets, false, null);
    }

    /** The same tokens starting from {@code state} (null: zeros). */
    public Tokens withState(float[] state) {
      return new Tokens(size, steps, inputs, targets, continues, state);
    }
  }
}
