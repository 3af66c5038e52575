package dev.enas.export.onnx;

import com.google.protobuf.ByteString;
import dev.enas.proto.onnx.AttributeProto;
import dev.enas.proto.onnx.GraphProto;
import dev.enas.proto.onnx.NodeProto;
import dev.enas.proto.onnx.TensorProto;
import dev.enas.proto.onnx.TensorShapeProto;
import dev.enas.proto.onnx.TypeProto;
import dev.enas.proto.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction: nodes in the order they are added (callers add them in topological order),
 * initializers, and the graph's typed inputs and outputs. Every value name is unique: a wanted name already taken
 * gets a numeric suffix.
 */
final class OnnxGraphBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();

  OnnxGraphBuilder(String name, String doc) {
    graph.setName(name).setDocString(doc);
  }

  /** A value name not used yet: {@code wanted}, or {@code wanted_2}, {@code wanted_3}, ... */
  String fresh(String wanted) {
    String n = wanted;
    for (int i = 2; !names.add(n); i++) {
      n = wanted + "_" + i;
    }
    return n;
  }

  /** Adds a node with one output named after {@code outName}; returns the output's name. */
  String node(String opType, List<String> inputs, String outName, AttributeProto... attributes) {
    return nodes(opType, inputs, List.of(outName), attributes).get(0);
  }

  /** Adds a node with several outputs; returns their names, in order. */
  List<String> nodes(String opType, List<String> inputs, List<String> outNames, AttributeProto... attributes) {
    List<String> outs = outNames.stream().map(this::fresh).toList();
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(outs.get(0)).addAllInput(inputs)
        .addAllOutput(outs);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return outs;
  }

  /** Adds a node whose output takes an exact name already {@linkplain #claim claimed} (a graph output's). */
  void named(String opType, List<String> inputs, String claimedOut, AttributeProto... attributes) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(claimedOut).addAllInput(inputs)
        .addOutput(claimedOut);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  /** A float32 initializer of the given dims, row-major; returns its name. */
  String floats(String wanted, long[] dims, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    String name = fresh(wanted);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(buf.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A 1-D int64 initializer (the shape-like operand of Slice, Split, Unsqueeze, Pad); returns its name. */
  String int64s(String wanted, long... values) {
    String name = fresh(wanted);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Declares a graph input; each dim is a {@code Long} (fixed) or a {@code String} (symbolic, such as "batch"). The
   * name must not be taken: graph inputs keep the names users feed.
   */
  void input(String name, TensorProto.DataType type, List<Object> dims, String doc) {
    claim(name);
    graph.addInput(valueInfo(name, type, dims, doc));
  }

  /** Declares a graph output; {@code name} must be the output of a node already added. */
  void output(String name, TensorProto.DataType type, List<Object> dims, String doc) {
    graph.addOutput(valueInfo(name, type, dims, doc));
  }

  /** Reserves an exact name (a graph input's or output's); taking it twice is a programming error. */
  void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("value name " + name + " is already used");
    }
  }

  GraphProto build() {
    return graph.build();
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, List<Object> dims, String doc) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    TypeProto type1 = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(type.getNumber()).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(name).setType(type1).setDocString(doc).build();
  }

  /** An int attribute. */
  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A float attribute. */
  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** An ints attribute. */
  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
