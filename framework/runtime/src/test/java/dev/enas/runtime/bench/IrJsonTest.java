package dev.enas.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.IrException;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrJsonTest {

  private static Graph tiny() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", TensorShape.of(4, 4, 2));
    String c = b.op("conv", new Op.Conv2d(3, 2, 1, 6, ParamKey.of("w\"q"), Op.Padding.SAME), x);
    String n = b.op("bn", new Op.BatchNorm(ParamKey.of("bn")), c);
    String r = b.op("relu", new Op.Act(Activation.RELU), n);
    String g = b.op("gap", new Op.GlobalAvgPool(), r);
    String d = b.op("drop", new Op.Dropout(0.25), g);
    b.output(b.op("logits", new Op.Dense(3, true, ParamKey.of("head")), d));
    return b.build();
  }

  @Test
  void writesNodesInOrderWithFieldsInputsShapesFlopsParamsAndOutputs() {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("space", "tiny");
    source.put("architecture", "1 0\n1");
    String json = IrJson.write(tiny(), source);

    assertTrue(json.startsWith("{\n  \"format\": \"enas-ir-json/1\",\n  \"space\": \"tiny\",\n  \"architecture\": \"1 0\\n1\""),
        json);
    // 2x2 outputs (stride 2, SAME) x 3x3 kernel x 2 in x 6 out x 2, plus the dense layer 6 x 3 x 2
    assertTrue(json.contains("\"flopsPerExample\": " + (2L * 2 * 2 * 9 * 2 * 6 + 2 * 6 * 3)), json);
    assertTrue(json.contains("{\"id\": \"conv\", \"op\": \"Conv2d\", \"label\": \"conv 3x3 /2\", \"fields\": {\"kernel\": 3, "
        + "\"stride\": 2, \"dilation\": 1, \"outChannels\": 6, \"weights\": \"w\\\"q\", \"padding\": \"SAME\"}, "
        + "\"inputs\": [\"x\"], \"shape\": [2, 2, 6], \"flops\": 864, \"params\": [{\"key\": \"w\\\"q\", "
        + "\"shape\": [3, 3, 2, 6], \"init\": \"HE_NORMAL\", \"trainable\": true}]}"), json);
    assertTrue(json.contains("{\"id\": \"x\", \"op\": \"Input\", \"label\": \"input images\", \"fields\": {\"name\": "
        + "\"images\", \"shape\": [4, 4, 2]}, \"inputs\": [], \"shape\": [4, 4, 2], \"flops\": 0, \"params\": []}"), json);
    assertTrue(json.contains("\"fields\": {\"fn\": \"RELU\"}"), json);
    assertTrue(json.contains("\"fields\": {\"rate\": 0.25, \"mask\": null}"), json);
    assertTrue(json.contains("\"fields\": {\"units\": 3, \"bias\": true, \"key\": \"head\"}"), json);
    assertTrue(json.contains("{\"key\": \"bn/moving_variance\", \"shape\": [6], \"init\": \"ONES\", \"trainable\": false}"),
        json);
    assertTrue(json.contains("\"outputs\": [\"logits\"]"), json);
    List<String> order = List.of("\"id\": \"x\"", "\"id\": \"conv\"", "\"id\": \"bn\"", "\"id\": \"relu\"",
        "\"id\": \"gap\"", "\"id\": \"drop\"", "\"id\": \"logits\"", "\"outputs\"", "\"params\": [\n");
    int at = -1;
    for (String s : order) {
        int next = json.indexOf(s, at + 1);
        assertTrue(next > at, s + " out of order in " + json);
        at = next;
    }
    // the graph's params, once per key: conv, bn x4, dense w and b
    assertEquals(7, json.substring(json.lastIndexOf("\"params\": [\n")).split("\"key\"").length - 1, json);
    assertTrue(json.endsWith("\n  ]\n}\n"), json);
  }

  @Test
  void everyOpKindHasAJsonForm() {
    for (Class<? extends Op> kind : Op.kinds()) {
      IrJson.components(kind);
    }
  }

  record Odd(List<String> names) {}

  @Test
  void aKindWithoutAJsonFormIsAnErrorNamingIt() {
    IrException notRecord = assertThrows(IrException.class, () -> IrJson.components(String.class));
    assertTrue(notRecord.getMessage().contains("op kind String"), notRecord.getMessage());
    IrException oddField = assertThrows(IrException.class, () -> IrJson.components(Odd.class));
    assertTrue(oddField.getMessage().contains("field names") && oddField.getMessage().contains("op kind Odd"),
        oddField.getMessage());
  }

  @Test
  void aSupernetIsRefused() {
    GraphBuilder b = new GraphBuilder();
    String x = b.input("x", "images", TensorShape.of(4, 4, 2));
    String y = b.inputChoice("skip", "skip", List.of(), List.of(x), false, dev.enas.api.ir.Node.Combine.SUM);
    b.output(y);
    assertThrows(IrException.class, () -> IrJson.write(b.build(), Map.of()));
  }

  @Test
  void stringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\"", IrJson.str("a\"b\\c\n\t\u0001"));
  }
}
