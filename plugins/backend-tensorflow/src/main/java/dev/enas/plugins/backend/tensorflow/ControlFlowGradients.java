package dev.enas.plugins.backend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.core.SwitchCond;
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
 * Callers must not read the gradient of the predicate (it is zeros, for the builder's sake). Picks ({@link #PICK}) get
 * their zeros in the backward pass instead.
 */
final class ControlFlowGradients {
  /**
   * The scope of a Switch that picks one candidate of a single input choice for a Merge and whose false side nothing
   * reads (a choice that can be left out of the child reads its candidates through a Switch on its liveness first).
   * TensorFlow's gradient builder would give that unread side zeros like the candidate, made as soon as the forward
   * pass reaches the Switch and kept until the backward pass sums the candidate's gradients: every candidate a choice
   * did not pick held an activation-sized tensor of zeros over the whole step (1.95 GB of a micro search child's 7 GB
   * peak at batch 160). For these Switches the Merge's gradient makes the zeros itself, from the gradient that arrives
   * in the backward pass, and the Switch's gradient passes it on.
   */
  static final String PICK = "enas_pick";

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
      if (isPick(op)) {
        out.add(grads.get(1)); // the true side (output 1): the Merge's gradient holds the zeros when not taken
      } else {
        out.add(tf.merge(List.of((Operand<TType>) grads.get(0), (Operand<TType>) grads.get(1))).output());
      }
      out.add(tf.zerosLike(op.input(1)));
      return out;
    });
    TensorFlow.registerCustomGradient("Merge", (tf, op, grads) -> {
      Output<TInt32> taken = (Output<TInt32>) (Output) op.output(1);
      List<Operand<?>> out = new ArrayList<>();
      for (int i = 0; i < op.numInputs(); i++) {
        SwitchCond<TType> route = tf.switchCond((Operand<TType>) grads.get(0), tf.math.equal(taken, tf.constant(i)));
        if (!isPick(op.input(i).op())) {
          out.add(route.outputTrue());
          continue;
        }
        // Zeros when this pick was not taken, made from the Merge's gradient (so in the backward pass, when it is
        // needed), and dead with the pick's candidate: IdentityN is alive only when all its inputs are, and the
        // candidate's shape keeps no reference to its values.
        Output<?> candidate = ((GraphOperation) op.input(i).op()).input(0);
        Output<?> zeros = tf.identityN(List.of(tf.zerosLike(route.outputFalse()), tf.shape(candidate))).output().get(0);
        out.add(tf.merge(List.of(route.outputTrue(), (Operand<TType>) zeros)).output());
      }
      return out;
    });
    registered = true;
  }

  /** A pick's name: its scope is {@link #PICK}, numbered by TensorFlow from the second on ({@code enas_pick_7/}). */
  private static final java.util.regex.Pattern PICK_NAME =
      java.util.regex.Pattern.compile("(^|.*/)" + PICK + "(_\\d+)?/[^/]+$");

  private static boolean isPick(org.tensorflow.Operation op) {
    return op.type().equals("Switch") && PICK_NAME.matcher(op.name()).matches();
  }
}
