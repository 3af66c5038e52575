package dev.enas.export.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.proto.onnx.ModelProto;
import dev.enas.proto.onnx.TensorShapeProto;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the exporter refuses, with messages that name the cause; and the model's declared interface. */
class OnnxExporterRefusalTest {

  private static Graph classifier() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", TensorShape.of(4, 4, 3));
    String c = b.op("stem", new Op.Conv2d(3, 1, 1, 4, ParamKey.of("stem/w")), x);
    String gap = b.op("gap", new Op.GlobalAvgPool(), c);
    return b.output(b.op("logits", new Op.Dense(5, true, ParamKey.of("fc")), gap)).build();
  }

  @Test
  void everyOpKindOfTheIrHasALowering() {
    assertEquals(Op.kinds(), new HashSet<>(OpLowering.LOWERED),
        "a new IR op needs an ONNX lowering in OpLowering (or a test that it is refused)");
  }

  @Test
  void anOpWithoutOnnxLoweringIsRefusedByName() {
    Graph g = classifier();
    Set<Class<? extends Op>> lowered = new HashSet<>(OpLowering.LOWERED);
    lowered.remove(Op.Conv2d.class);
    ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.export(g,
        new ModelWeights(OnnxExporterOpsTest.weights(g, 1), "w"), ExportSettings.defaults(), lowered, List.of()));
    assertTrue(e.getMessage().contains("op Conv2d (\"conv 3x3\", node stem) has no ONNX equivalent"), e.getMessage());
  }

  @Test
  void weightsOfAnotherArchitectureAreRefusedNamingTheTensor() {
    Graph g = classifier();
    Map<ParamKey, ModelWeights.Tensor> w = new java.util.HashMap<>(OnnxExporterOpsTest.weights(g, 1));
    w.remove(ParamKey.of("fc/w"));
    ExportException missing = assertThrows(ExportException.class,
        () -> OnnxExporter.export(g, new ModelWeights(w, "model/weights.pb"), ExportSettings.defaults()));
    assertTrue(missing.getMessage().contains("model/weights.pb has no tensor fc/w"), missing.getMessage());
    w.put(ParamKey.of("fc/w"), new ModelWeights.Tensor(TensorShape.of(4, 6), new float[24]));
    ExportException shape = assertThrows(ExportException.class,
        () -> OnnxExporter.export(g, new ModelWeights(w, "model/weights.pb"), ExportSettings.defaults()));
    assertTrue(shape.getMessage().contains("fc/w with shape [4, 6] but the graph reads it as [4, 5]"),
        shape.getMessage());
  }

  @Test
  void aSupernetAndAGraphOfUnknownInputsAreRefused() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "pixels", TensorShape.of(4));
    Graph g = b.output(b.op("logits", new Op.Dense(3, false, ParamKey.of("fc")), x)).build();
    ExportException e = assertThrows(ExportException.class, () -> OnnxExporter.export(g,
        new ModelWeights(OnnxExporterOpsTest.weights(g, 1), "w"), ExportSettings.defaults()));
    assertTrue(e.getMessage().contains("inputs [pixels] are neither"), e.getMessage());
  }

  @Test
  void theModelDeclaresOpsetNamedInputsAndADynamicBatch() {
    Graph g = classifier();
    ModelProto m = OnnxExporter.export(g, new ModelWeights(OnnxExporterOpsTest.weights(g, 1), "w"),
        ExportSettings.defaults().withMetadata(Map.of("enas_space", "test")));
    assertEquals(OnnxExporter.OPSET, m.getOpsetImport(0).getVersion());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals("images", m.getGraph().getInput(0).getName());
    assertEquals("logits", m.getGraph().getOutput(0).getName());
    List<TensorShapeProto.Dimension> in = m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertEquals("batch", in.get(0).getDimParam());
    assertEquals(List.of(4L, 4L, 3L), in.subList(1, 4).stream().map(TensorShapeProto.Dimension::getDimValue).toList());
    assertEquals("test", m.getMetadataProps(0).getValue());
  }
}
