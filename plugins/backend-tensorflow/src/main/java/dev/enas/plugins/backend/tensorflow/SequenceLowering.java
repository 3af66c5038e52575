package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.ir.Graph;
import dev.enas.support.backend.BatchLayout;
import dev.enas.support.backend.SequencePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A language model's step graph over a {@code [batch, steps]} token tensor, for training graphs and the SavedModel
 * alike: through {@link SequencePlan} when it applies (the embedding once over all tokens, the cell once per step, the
 * softmax layer once over all steps), else the whole step unrolled once per step.
 */
final class SequenceLowering {
  private SequenceLowering() {}

  /** Computes the listed nodes of the graph from named inputs, with some nodes' values given. */
  interface Apply {
    List<Operand<?>> apply(List<String> outputs, Map<String, Operand<?>> in, Map<String, Operand<?>> given);
  }

  /**
   * @param logits step-major {@code [steps * batch, vocabulary]}
   * @param state the state after the last step, or null when the graph carries none
   * @param activations the penalised node's values, step-major {@code [steps * batch, width]}, or null when the graph
   *     carries no activation penalty
   */
  record Result(Operand<TFloat32> logits, Operand<TFloat32> state, Operand<TFloat32> activations) {}

  /** The logits (and final state) of {@code child} over {@code tokens}, starting from {@code state0} (may be null). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Result lower(Ops tf, Graph child, Operand<TInt32> tokens, Operand<?> state0, int steps, Apply apply) {
    Optional<SequencePlan> plan = SequencePlan.of(child);
    if (plan.isPresent() && state0 != null) {
      // [batch, steps] -> step-major rows [steps * batch, 1].
      Operand<?> rows = tf.reshape(tf.linalg.transpose(tokens, tf.constant(new int[] {1, 0})),
          tf.constant(new int[] {-1, 1}));
      SequencePlan.Outcome<Operand<?>> out = plan.get().run(new SequencePlan.Engine<Operand<?>>() {
        @Override
        public List<Operand<?>> apply(List<String> outputs, Map<String, Operand<?>> in,
            Map<String, Operand<?>> given) {
          return apply.apply(outputs, in, given);
        }

        @Override
        public List<Operand<?>> split(Operand<?> x, int parts) {
          return new ArrayList<>(tf.split(tf.constant(0), (Operand) x, (long) parts).output());
        }

        @Override
        public Operand<?> concat(List<Operand<?>> parts) {
          return tf.concat((List) parts, tf.constant(0));
        }
      }, rows, state0, steps);
      return new Result(ChildLowering.f(out.logits()), ChildLowering.f(out.state()),
          out.activations() == null ? null : ChildLowering.f(out.activations()));
    }
    // Unrolled: one application of the whole step per step, weights shared through the lowering.
    List<Operand<TFloat32>> perStep = new ArrayList<>();
    List<Operand<TFloat32>> activations = new ArrayList<>();
    String penalised = BatchLayout.penalised(child).map(BatchLayout.Penalised::node).orElse(null);
    List<String> outputs = new ArrayList<>(child.outputs());
    if (penalised != null) {
      outputs.add(penalised);
    }
    Operand<?> state = state0;
    for (int t = 0; t < steps; t++) {
      Map<String, Operand<?>> in = new HashMap<>();
      in.put(BatchLayout.TOKENS, tf.stridedSlice(tokens, Indices.all(), Indices.slice(t, t + 1)));
      if (state != null) {
        in.put(BatchLayout.STATE, state);
      }
      List<Operand<?>> out = apply.apply(outputs, in, Map.of());
      perStep.add(ChildLowering.f(out.get(0)));
      if (state != null) {
        state = out.get(1);
      }
      if (penalised != null) {
        activations.add(ChildLowering.f(out.get(out.size() - 1)));
      }
    }
    return new Result(concatSteps(tf, perStep), state == null ? null : ChildLowering.f(state),
        penalised == null ? null : concatSteps(tf, activations));
  }

  private static Operand<TFloat32> concatSteps(Ops tf, List<Operand<TFloat32>> perStep) {
    return perStep.size() == 1 ? perStep.get(0) : tf.concat(perStep, tf.constant(0));
  }

  /**
   * {@code l2 * mean(a^2) + slowness * mean((a[t] - a[t-1])^2)} over step-major activations {@code [steps * batch,
   * width]}: the differences pair each row with the same example's row one step earlier.
   */
  static Operand<TFloat32> penalty(Ops tf, dev.enas.api.ir.Op.ActivationPenalty p, Operand<TFloat32> activations,
      int steps) {
    Operand<TFloat32> bySteps = tf.reshape(activations, tf.constant(new long[] {steps, -1}));
    Operand<TFloat32> total = tf.math.mul(mean(tf, tf.math.square(bySteps)), tf.constant((float) p.l2()));
    if (steps > 1 && p.slowness() > 0) {
      Operand<TFloat32> diff = tf.math.sub(tf.stridedSlice(bySteps, Indices.sliceFrom(1)),
          tf.stridedSlice(bySteps, Indices.sliceTo(steps - 1)));
      total = tf.math.add(total, tf.math.mul(mean(tf, tf.math.square(diff)), tf.constant((float) p.slowness())));
    }
    return total;
  }

  private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {0, 1}));
  }
}
