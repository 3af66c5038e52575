package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * The gradients of a single input choice's picks ({@link ControlFlowGradients#PICK}): a candidate's gradient sums its
 * readers' (zeros from a pick that was not taken), and those zeros are made in the backward pass, never from the
 * forward pass's Switch (where they would be held over the whole step).
 */
class ControlFlowGradientsTest {

  @BeforeAll
  static void register() {
    ControlFlowGradients.register();
  }

  /**
   * Two choices over the candidates a and b; choice 1 picks by gate g1, choice 2 by g2; the loss is
   * {@code sum(2 * choice1) + sum(3 * choice2) + sum(a)}. So dL/da = 1 + 2·[choice 1 took a] + 3·[choice 2 took a].
   */
  private static final class Net implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3)));
    final Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3)));
    final Placeholder<TBool> g1 = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
    final Placeholder<TBool> g2 = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
    final Output<?>[] grads;

    Net() {
      var c1 = choice(g1, 2f);
      var c2 = choice(g2, 3f);
      var loss = tf.math.addN(List.of(c1, c2, tf.sum(a, tf.constant(new int[] {0, 1}))));
      grads = graph.addGradients(loss.asOutput(), new Output<?>[] {a.asOutput(), b.asOutput()});
    }

    /** {@code sum(weight * (a if gate else b))}, each candidate read through its own pick. */
    private org.tensorflow.Operand<TFloat32> choice(Placeholder<TBool> gate, float weight) {
      var notGate = tf.math.logicalNot(gate);
      List<org.tensorflow.Operand<TFloat32>> picks = new ArrayList<>();
      picks.add(tf.withSubScope(ControlFlowGradients.PICK).switchCond(a, gate).outputTrue());
      picks.add(tf.withSubScope(ControlFlowGradients.PICK).switchCond(b, notGate).outputTrue());
      var merged = tf.merge(picks).output();
      return tf.sum(tf.math.mul(merged, tf.constant(weight)), tf.constant(new int[] {0, 1}));
    }

    /** dL/da and dL/db, and how many ZerosLike kernels read a pick's Switch in the run. */
    float[][] run(boolean first, boolean second, int[] zerosFromPicks) {
      try (Session s = new Session(graph);
          TFloat32 av = TFloat32.tensorOf(Shape.of(2, 3));
          TFloat32 bv = TFloat32.tensorOf(Shape.of(2, 3));
          TBool gv1 = TBool.scalarOf(first);
          TBool gv2 = TBool.scalarOf(second)) {
        Session.Runner r = s.runner().feed(a, av).feed(b, bv).feed(g1, gv1).feed(g2, gv2)
            .fetch(grads[0]).fetch(grads[1])
            .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result out = r.runAndFetchMetadata()) {
          int count = 0;
          for (DeviceStepStats d : out.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
            for (NodeExecStats n : d.getNodeStatsList()) {
              String label = n.getTimelineLabel();
              if (label.contains("= ZerosLike(") && label.contains(ControlFlowGradients.PICK)) {
                count++;
              }
            }
          }
          zerosFromPicks[0] = count;
          return new float[][] {values((TFloat32) out.get(0)), values((TFloat32) out.get(1))};
        }
      }
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  private static float[] filled(float v) {
    float[] out = new float[6];
    java.util.Arrays.fill(out, v);
    return out;
  }

  @Test
  void eachCandidateGetsTheSumOfItsTakenReadersGradients() {
    try (Net net = new Net()) {
      int[] zeros = new int[1];
      float[][] both = net.run(true, true, zeros);
      assertArrayEquals(filled(6f), both[0], 0f, "a read by both choices and the loss");
      assertArrayEquals(filled(0f), both[1], 0f, "b read by neither choice");
      float[][] split = net.run(true, false, zeros);
      assertArrayEquals(filled(3f), split[0], 0f);
      assertArrayEquals(filled(3f), split[1], 0f);
      float[][] none = net.run(false, false, zeros);
      assertArrayEquals(filled(1f), none[0], 0f, "a read by the loss only");
      assertArrayEquals(filled(5f), none[1], 0f);
    }
  }

  @Test
  void zerosForPicksNotTakenAreMadeFromTheBackwardPassNotFromTheForwardSwitch() {
    try (Net net = new Net()) {
      int[] zeros = new int[1];
      net.run(true, false, zeros);
      assertEquals(0, zeros[0], "no ZerosLike may read a pick's Switch (it would run in the forward pass)");
    }
  }

  @Test
  void picksAreRecognisedByTheirScopeWhateverNumberTensorFlowGivesIt() {
    try (Net net = new Net()) {
      long picks = 0;
      var it = net.graph.operations();
      while (it.hasNext()) {
        var op = it.next();
        if (op.type().equals("Switch") && op.name().contains(ControlFlowGradients.PICK)) {
          picks++;
        }
      }
      assertEquals(4, picks);
      assertTrue(net.graph.operation(ControlFlowGradients.PICK + "_1/SwitchCond") != null,
          "TensorFlow numbers the second pick scope; the test relies on that name");
    }
  }
}
