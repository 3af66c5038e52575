package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamSpec;
import dev.enas.support.backend.BatchLayout;
import dev.enas.support.backend.GraphWalk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A trained child as a TensorFlow SavedModel: its inference graph with the weights baked in as constants, under the
 * tag {@code serve} and one signature {@code serving_default}. An image classifier takes {@code images} {@code
 * [batch, H, W, C]} float and gives {@code logits} {@code [batch, classes]}; a language model takes {@code tokens}
 * {@code [batch, steps]} int32 and {@code state} {@code [batch, H]} float (zeros to start) and gives {@code logits}
 * {@code [batch, steps, vocabulary]} and {@code state_out}, the cell unrolled over the batch's steps. Dropout is off;
 * batch norm normalises as the backend evaluates ({@code bn_eval}).
 */
final class SavedModelExport {
  static final String IMAGES = "images";
  static final String TOKENS = "tokens";
  static final String STATE = "state";
  static final String LOGITS = "logits";
  static final String STATE_OUT = "state_out";

  private SavedModelExport() {}

  /** Writes the SavedModel into {@code dir}, which must not exist yet. */
  static void write(Graph child, Batch like, Path dir, Function<ParamSpec, float[]> values, boolean batchStatistics,
      double bnEpsilon) throws IOException {
    Graph net = BatchLayout.withoutAuxOutputs(BatchLayout.live(child));
    if (net.hasChoices()) {
      throw new IllegalArgumentException("a SavedModel holds one trained child; this graph still has choices");
    }
    BatchLayout layout = BatchLayout.checked(net, like);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(dir + " exists; a SavedModel is written into a new directory");
    }
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      ChildLowering lowering = new ChildLowering(tf, net, false, batchStatistics, false, bnEpsilon);
      lowering.constantsFrom(values);
      Signature.Builder sig = Signature.builder(Signature.DEFAULT_KEY).methodName("tensorflow/serving/predict");
      if (!layout.tokens()) {
        int[] d = ((Op.Input) net.inputNodes().get(0).op()).shape().dims();
        Placeholder<TFloat32> images = tf.withName(IMAGES).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, d[0], d[1], d[2])));
        lowering.examplesFrom(images);
        Operand<?> logits = lowering.apply(net, Map.of(BatchLayout.IMAGES, images)).get(0);
        sig.input(IMAGES, images).output(LOGITS, tf.withName(LOGITS).identity(ChildLowering.f(logits)));
      } else {
        Placeholder<TInt32> tokens = tf.withName(TOKENS).placeholder(TInt32.class,
            Placeholder.shape(Shape.of(-1, layout.steps())));
        lowering.examplesFrom(tokens);
        sig.input(TOKENS, tokens);
        Operand<?> state = null;
        if (layout.stateWidth() > 0) {
          Placeholder<TFloat32> state0 = tf.withName(STATE).placeholder(TFloat32.class,
              Placeholder.shape(Shape.of(-1, layout.stateWidth())));
          sig.input(STATE, state0);
          state = state0;
        }
        // The sequence as training lowers it; step-major [steps * batch, vocabulary] -> [batch, steps, vocabulary].
        SequenceLowering.Result seq = SequenceLowering.lower(tf, net, tokens, state, layout.steps(),
            (outputs, in, given) -> GraphWalk.apply(net, outputs, given, (op, x, shapes) -> lowering.lower(op, x,
                shapes, in)));
        Operand<TFloat32> logits = tf.linalg.transpose(tf.reshape(seq.logits(),
            tf.constant(new int[] {layout.steps(), -1, layout.classes()})), tf.constant(new int[] {1, 0, 2}));
        state = seq.state();
        sig.output(LOGITS, tf.withName(LOGITS).identity(logits));
        if (state != null) {
          sig.output(STATE_OUT, tf.withName(STATE_OUT).identity(ChildLowering.f(state)));
        }
      }
      SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(sig.build()).export();
    }
  }
}
