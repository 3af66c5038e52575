package dev.enas.plugins.backend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Gradients of {@code Switch} and {@code Merge}, which TensorFlow's C++ gradient registry lacks, registered once per
 * JVM. They mirror TensorFlow's Python definitions for a conditional:
 * <ul>
 *   <li>Merge routes its gradient to the input that was taken: a Switch on {@code value_index == i} for input i.
 *   <li>Switch merges the gradients of its two outputs. The gradient builder gives an output no op read zeros like
 *       that output, alive exactly when that side was taken, so the merged gradient is zeros on the side not taken
 *       and the real gradient on the other: exactly one Merge input is ever alive, and sums over a tensor's readers
 *       stay alive.
 * </ul>
 * Callers must not read the gradient of the predicate (it is zeros, for the builder's sake).
 */
final class ControlFlowGradients {
  private static boolean registered;

  private ControlFlowGradients() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static synchronized void register() {
    if (registered) {
      return;
    }
    // Either call returns false when a gradient is already registered (another class loader of this bundle).
    TensorFlow.registerCustomGradient("Switch", (tf, op, grads) -> {
      List<Operand<?>> out = new ArrayList<>();
      out.add(tf.merge(List.of((Operand<TType>) grads.get(0), (Operand<TType>) grads.get(1))).output());
      out.add(tf.zerosLike(op.input(1)));
      return out;
    });
    TensorFlow.registerCustomGradient("Merge", (tf, op, grads) -> {
      Output<TInt32> taken = (Output<TInt32>) (Output) op.output(1);
      List<Operand<?>> out = new ArrayList<>();
      for (int i = 0; i < op.numInputs(); i++) {
        out.add(tf.switchCond((Operand<TType>) grads.get(0), tf.math.equal(taken, tf.constant(i))).outputTrue());
      }
      return out;
    });
    registered = true;
  }
}
