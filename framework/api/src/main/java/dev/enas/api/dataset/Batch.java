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
   */
  record Tokens(int size, int steps, int[] inputs, int[] targets) implements Batch {
    public Tokens {
      if (inputs.length != size * steps || targets.length != size * steps) {
        throw new IllegalArgumentException("token batch of " + size + " x " + steps + " got " + inputs.length
            + " inputs and " + targets.length + " targets");
      }
    }
  }
}
