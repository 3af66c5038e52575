package dev.enas.export.onnx;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.IrException;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.export.onnx.OpLowering.Value;
import dev.enas.proto.onnx.ModelProto;
import dev.enas.proto.onnx.OperatorSetIdProto;
import dev.enas.proto.onnx.StringStringEntryProto;
import dev.enas.proto.onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A trained child as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}), built from the IR graph
 * and the weights alone, so a model trained on any backend exports the same way. The batch dimension is dynamic
 * ({@code "batch"}).
 *
 * <ul>
 *   <li>An image classifier (one input {@code images} in the IR) takes {@value #IMAGES} {@code [batch, H, W, C]} float,
 *       NHWC and normalised as the dataset plugin feeds it, and gives {@value #LOGITS} {@code [batch, classes]};
 *       auxiliary heads are dropped.
 *   <li>A language model (inputs {@code tokens} and {@code state}) is unrolled over a fixed number of steps: it takes
 *       {@value #TOKENS} {@code [batch, steps]} int64 and {@value #HIDDEN} {@code [batch, H]} float (the state before
 *       the first step; zeros is what {@code enas evaluate} starts each batch from), and gives {@value #LOGITS}
 *       {@code [batch, steps, vocabulary]} and {@value #HIDDEN_OUT} {@code [batch, H]}, the state after the last step.
 * </ul>
 */
public final class OnnxExporter {
  /** The ONNX operator set the model imports; ONNX Runtime 1.20 implements all of it. */
  public static final int OPSET = 17;
  /** The ONNX IR version that goes with opset 17. */
  public static final int IR_VERSION = 8;
  public static final String IMAGES = "images";
  public static final String TOKENS = "tokens";
  public static final String HIDDEN = "hidden";
  public static final String LOGITS = "logits";
  public static final String HIDDEN_OUT = "hidden_out";
  /** The IR input names a backend feeds (as {@code dev.enas.support.backend.BatchLayout} names them). */
  private static final String IR_IMAGES = "images";
  private static final String IR_TOKENS = "tokens";
  private static final String IR_STATE = "state";
  /** The symbolic name of the dynamic batch dimension. */
  public static final String BATCH = "batch";

  private OnnxExporter() {}

  /** The model; an {@link ExportException} that says why when the graph or the weights cannot be exported. */
  public static ModelProto export(Graph child, ModelWeights weights, ExportSettings settings) {
    return export(child, weights, settings, OpLowering.LOWERED, List.of());
  }

  /**
   * As {@link #export(Graph, ModelWeights, ExportSettings)} with only the {@code lowered} op kinds exportable and, for
   * an image classifier, the values of the {@code probes} nodes as extra outputs {@code "probe/<id>"} in the IR's
   * layout ([batch, H, W, C] for images): what the op tests compare with their reference.
   */
  static ModelProto export(Graph child, ModelWeights weights, ExportSettings settings,
      Set<Class<? extends Op>> lowered, List<String> probes) {
    if (child.hasChoices()) {
      throw new ExportException("the graph still has choice nodes; export a child (a supernet resolved with an "
          + "architecture), not the supernet");
    }
    Graph net = withoutAuxOutputs(child.pruned());
    Map<String, TensorShape> shapes;
    try {
      shapes = net.shapes();
    } catch (IrException e) {
      throw new ExportException("the graph is not valid: " + e.getMessage());
    }
    for (Node n : net.nodes()) {
      Op op = ((Node.OpNode) n).op();
      if (!lowered.contains(op.getClass())) {
        throw new ExportException("op " + op.getClass().getSimpleName() + " (\"" + op.label() + "\", node " + n.id()
            + ") has no ONNX equivalent in this exporter; the model cannot be exported until it has one");
      }
    }
    List<Op.Input> inputs = net.inputNodes().stream().map(n -> (Op.Input) n.op()).toList();
    OnnxGraphBuilder g;
    String doc;
    if (inputs.size() == 1 && inputs.get(0).name().equals(IR_IMAGES)) {
      doc = "image classifier: images [batch, H, W, C] float (NHWC, normalised as the dataset feeds them) -> logits "
          + "[batch, classes]";
      g = new OnnxGraphBuilder("enas_image_classifier", doc);
      imageClassifier(g, net, shapes, inputs.get(0), new OpLowering(g, weights, net.params(), settings), probes);
    } else if (inputs.stream().anyMatch(i -> i.name().equals(IR_TOKENS))) {
      String width = inputs.stream().filter(i -> i.name().equals("state")).findFirst()
          .map(i -> String.valueOf(i.shape().dim(0))).orElse("H");
      doc = "language model unrolled over " + settings.sequenceLength() + " steps: tokens [batch, "
          + settings.sequenceLength() + "] int64, hidden [batch, " + width + "] float (the initial state; zeros as "
          + "enas evaluate) -> logits [batch, " + settings.sequenceLength() + ", vocabulary], hidden_out [batch, "
          + width + "]";
      g = new OnnxGraphBuilder("enas_language_model", doc);
      languageModel(g, net, shapes, settings.sequenceLength(), new OpLowering(g, weights, net.params(), settings));
    } else {
      throw new ExportException("the graph's inputs " + inputs.stream().map(Op.Input::name).toList() + " are neither "
          + "an image classifier's (\"images\") nor a language model's (\"tokens\" and \"state\")");
    }
    ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("enas").setProducerVersion(settings.metadata().getOrDefault("enas_version", ""))
        .setDocString(doc).setGraph(g.build());
    for (Map.Entry<String, String> e : new TreeMap<>(settings.metadata()).entrySet()) {
      m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return m.build();
  }

  private static void imageClassifier(OnnxGraphBuilder g, Graph net, Map<String, TensorShape> shapes, Op.Input in,
      OpLowering lowering, List<String> probes) {
    if (net.outputs().size() != 1) {
      throw new ExportException("an image classifier's outputs are its logits and auxiliary heads; this graph has "
          + net.outputs());
    }
    TensorShape logits = logits(net, shapes);
    TensorShape image = in.shape();
    if (!image.isImage()) {
      throw new ExportException("the images input must be [H, W, C], got " + image);
    }
    g.claim(LOGITS);
    g.input(IMAGES, TensorProto.DataType.FLOAT, List.of(BATCH, (long) image.height(), (long) image.width(),
        (long) image.channels()), "images [batch, H, W, C] (NHWC), normalised as the dataset plugin feeds them");
    String nchw = g.node("Transpose", List.of(IMAGES), "images_nchw", OnnxGraphBuilder.ints("perm", 0, 3, 1, 2));
    Map<String, Value> out = walk(net, shapes, Map.of(IR_IMAGES, new Value(nchw, image, false)), "",
        lowering);
    g.named("Identity", List.of(out.get(net.outputs().get(0)).name()), LOGITS);
    g.output(LOGITS, TensorProto.DataType.FLOAT, List.of(BATCH, (long) logits.dim(0)),
        "logits [batch, classes] (before softmax)");
    for (String id : probes) {
      Value v = out.get(id);
      String name = "probe/" + id;
      g.claim(name);
      List<Object> dims = new ArrayList<>(List.of(BATCH));
      for (int d : v.shape().dims()) {
        dims.add((long) d);
      }
      if (v.shape().isImage()) {
        g.named("Transpose", List.of(v.name()), name, OnnxGraphBuilder.ints("perm", 0, 2, 3, 1));
      } else {
        g.named("Identity", List.of(v.name()), name);
      }
      g.output(name, TensorProto.DataType.FLOAT, dims, "the value of node " + id);
    }
  }

  private static void languageModel(OnnxGraphBuilder g, Graph net, Map<String, TensorShape> shapes, int steps,
      OpLowering lowering) {
    TensorShape state = null;
    for (Node.OpNode n : net.inputNodes()) {
      Op.Input in = (Op.Input) n.op();
      if (in.name().equals(IR_TOKENS)) {
        if (!in.shape().equals(TensorShape.of(1))) {
          throw new ExportException("the tokens input must have shape [1], got " + in.shape());
        }
      } else if (in.name().equals(IR_STATE) && in.shape().rank() == 1) {
        state = in.shape();
      } else {
        throw new ExportException("a language model's inputs are \"tokens\" [1] and \"state\" [H]; this graph has "
            + in.name() + " " + in.shape());
      }
    }
    int wantOutputs = state != null ? 2 : 1;
    if (net.outputs().size() != wantOutputs) {
      throw new ExportException("a language model " + (state != null ? "with" : "without") + " a state input has "
          + wantOutputs + " output(s) (logits" + (state != null ? ", next state" : "") + "), got " + net.outputs());
    }
    if (state != null && !shapes.get(net.outputs().get(1)).equals(state)) {
      throw new ExportException("the next state must have the state input's shape " + state + ", got "
          + shapes.get(net.outputs().get(1)));
    }
    TensorShape logits = logits(net, shapes);
    g.claim(LOGITS);
    g.input(TOKENS, TensorProto.DataType.INT64, List.of(BATCH, (long) steps), "token ids [batch, " + steps + "]");
    String carried = null;
    if (state != null) {
      g.claim(HIDDEN_OUT);
      g.input(HIDDEN, TensorProto.DataType.FLOAT, List.of(BATCH, (long) state.dim(0)),
          "the recurrent state before the first step [batch, " + state.dim(0) + "]; enas evaluate starts from zeros");
      carried = HIDDEN;
    }
    String axis = g.int64s("seq_axis", 1);
    List<String> perStep = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      String prefix = "step" + t + "/";
      String ids = g.node("Slice", List.of(TOKENS, g.int64s(prefix + "start", t), g.int64s(prefix + "end", t + 1),
          axis), prefix + "tokens");
      Map<String, Value> fed = new HashMap<>();
      fed.put(IR_TOKENS, new Value(ids, TensorShape.of(1), true));
      if (state != null) {
        fed.put(IR_STATE, new Value(carried, state, false));
      }
      Map<String, Value> out = walk(net, shapes, fed, prefix, lowering);
      perStep.add(g.node("Unsqueeze", List.of(out.get(net.outputs().get(0)).name(), axis), prefix + "logits"));
      if (state != null) {
        carried = out.get(net.outputs().get(1)).name();
      }
    }
    g.named(steps == 1 ? "Identity" : "Concat", perStep, LOGITS,
        steps == 1 ? new dev.enas.proto.onnx.AttributeProto[0]
            : new dev.enas.proto.onnx.AttributeProto[] {OnnxGraphBuilder.attr("axis", 1L)});
    g.output(LOGITS, TensorProto.DataType.FLOAT, List.of(BATCH, (long) steps, (long) logits.dim(0)),
        "logits [batch, " + steps + ", vocabulary] (before softmax): step t predicts token t + 1");
    if (state != null) {
      g.named("Identity", List.of(carried), HIDDEN_OUT);
      g.output(HIDDEN_OUT, TensorProto.DataType.FLOAT, List.of(BATCH, (long) state.dim(0)),
          "the state after the last step [batch, " + state.dim(0) + "]; feed it as hidden to continue the text");
    }
  }

  /** The graph with only its main outputs (auxiliary heads serve training only) and what they depend on. */
  private static Graph withoutAuxOutputs(Graph g) {
    List<String> main = new ArrayList<>();
    for (int i = 0; i < g.outputs().size(); i++) {
      String id = g.outputs().get(i);
      if (i == 0 || !(g.node(id) instanceof Node.OpNode o && o.op() instanceof Op.AuxLogits)) {
        main.add(id);
      }
    }
    return main.size() == g.outputs().size() ? g : new Graph(g.nodes(), main).pruned();
  }

  private static TensorShape logits(Graph net, Map<String, TensorShape> shapes) {
    TensorShape logits = shapes.get(net.outputs().get(0));
    if (logits.rank() != 1) {
      throw new ExportException("the graph's first output must be logits [classes], got " + logits);
    }
    return logits;
  }

  /** Every node of the graph lowered in order, inputs taken from {@code fed} by name; values by node id. */
  private static Map<String, Value> walk(Graph net, Map<String, TensorShape> shapes, Map<String, Value> fed,
      String prefix, OpLowering lowering) {
    Map<String, Value> values = new HashMap<>();
    for (Node n : net.nodes()) {
      Node.OpNode o = (Node.OpNode) n;
      if (o.op() instanceof Op.Input in) {
        values.put(o.id(), fed.get(in.name()));
        continue;
      }
      List<Value> args = o.inputs().stream().map(values::get).toList();
      try {
        values.put(o.id(), lowering.lower(prefix + o.id(), o.op(), args, shapes.get(o.id())));
      } catch (ExportException e) {
        throw new ExportException("node " + o.id() + " (" + o.op().label() + "): " + e.getMessage());
      }
    }
    return values;
  }
}
