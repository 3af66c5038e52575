package dev.enas.runtime.bench;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.IrException;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resolved child graph as JSON, for a reference implementation outside the JVM (bench/pytorch_eager.py) to build
 * the very network the backends train. Every op is written from its record components, so each field of each op kind
 * comes out under its Java name, whatever the kind: ints, doubles, booleans, enums (by name), parameter keys (as
 * strings) and shapes (as arrays). A kind that is not a record, or a component of another type, is an
 * {@link IrException} naming it, so a new op kind either dumps faithfully or fails loudly.
 *
 * <p>The document: {@code format}, the {@code space}/{@code options}/{@code architecture} it came from (as given),
 * {@code flopsPerExample} (forward, {@link Graph#flops()}), {@code nodes} in topological order (each with {@code id},
 * {@code op} (the kind's simple name), {@code label}, {@code fields}, {@code inputs}, {@code shape} (the output shape
 * of one example, {@code [H, W, C]} or {@code [D]}), {@code flops} (forward, one example) and {@code params} (key,
 * shape, init, trainable)), {@code outputs}, and {@code params}: every tensor once per key, as {@link Graph#params()}.
 */
public final class IrJson {
  /** The format tag the document starts with; a reader checks it. */
  public static final String FORMAT = "enas-ir-json/1";

  private IrJson() {}

  /**
   * The JSON text of a child graph.
   *
   * @param source what the graph came from: {@code space}, {@code options}, {@code architecture}, written as strings
   *     in this order before the graph (null values are written as null)
   */
  public static String write(Graph g, Map<String, String> source) {
    if (g.hasChoices()) {
      throw new IrException("only a resolved child can be written as JSON; resolve the supernet first");
    }
    Map<String, TensorShape> shapes = g.shapes();
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"format\": ").append(str(FORMAT));
    for (Map.Entry<String, String> e : source.entrySet()) {
      b.append(",\n  ").append(str(e.getKey())).append(": ").append(e.getValue() == null ? "null" : str(e.getValue()));
    }
    b.append(",\n  \"flopsPerExample\": ").append(g.flops());
    b.append(",\n  \"nodes\": [");
    boolean firstNode = true;
    for (Node n : g.nodes()) {
      Node.OpNode o = (Node.OpNode) n;
      List<TensorShape> in = o.inputs().stream().map(shapes::get).toList();
      b.append(firstNode ? "\n" : ",\n");
      firstNode = false;
      b.append("    {\"id\": ").append(str(o.id()));
      b.append(", \"op\": ").append(str(o.op().getClass().getSimpleName()));
      b.append(", \"label\": ").append(str(o.op().label()));
      b.append(", \"fields\": ").append(fields(o.op()));
      b.append(", \"inputs\": ").append(strings(o.inputs()));
      b.append(", \"shape\": ").append(shape(shapes.get(o.id())));
      b.append(", \"flops\": ").append(o.op().flops(in));
      b.append(", \"params\": ").append(params(o.op().params(in)));
      b.append('}');
    }
    b.append("\n  ],\n  \"outputs\": ").append(strings(g.outputs()));
    b.append(",\n  \"params\": [");
    boolean firstParam = true;
    for (ParamSpec p : g.params()) {
      b.append(firstParam ? "\n    " : ",\n    ").append(param(p));
      firstParam = false;
    }
    b.append("\n  ]\n}\n");
    return b.toString();
  }

  /** The op's record components as a JSON object, in declaration order. */
  static String fields(Op op) {
    StringBuilder b = new StringBuilder("{");
    RecordComponent[] rc = components(op.getClass());
    for (int i = 0; i < rc.length; i++) {
      Object v;
      try {
        v = rc[i].getAccessor().invoke(op);
      } catch (ReflectiveOperationException e) {
        throw new IrException("op " + op.getClass().getSimpleName() + ": cannot read field " + rc[i].getName() + ": " + e);
      }
      if (i > 0) {
        b.append(", ");
      }
      b.append(str(rc[i].getName())).append(": ").append(value(op.getClass(), rc[i].getName(), v));
    }
    return b.append('}').toString();
  }

  /**
   * The record components of an op kind, each of a type the writer handles; throws {@link IrException} naming the
   * kind (or the kind and the component) otherwise.
   */
  static RecordComponent[] components(Class<?> kind) {
    if (!kind.isRecord()) {
      throw new IrException("no JSON form for op kind " + kind.getSimpleName() + ": it is not a record");
    }
    RecordComponent[] rc = kind.getRecordComponents();
    for (RecordComponent c : rc) {
      Class<?> t = c.getType();
      boolean ok = t == int.class || t == long.class || t == double.class || t == boolean.class || t == String.class
          || t.isEnum() || t == ParamKey.class || t == TensorShape.class;
      if (!ok) {
        throw new IrException("no JSON form for field " + c.getName() + " (" + t.getSimpleName() + ") of op kind "
            + kind.getSimpleName());
      }
    }
    return rc;
  }

  private static String value(Class<?> kind, String name, Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IrException("op kind " + kind.getSimpleName() + ": field " + name + " is " + d + ", which JSON cannot hold");
      }
      return d.toString();
    }
    if (v instanceof Enum<?> e) {
      return str(e.name());
    }
    if (v instanceof ParamKey k) {
      return str(k.value());
    }
    if (v instanceof TensorShape s) {
      return shape(s);
    }
    if (v instanceof String s) {
      return str(s);
    }
    throw new IrException("no JSON form for field " + name + " (" + v.getClass().getSimpleName() + ") of op kind "
        + kind.getSimpleName());
  }

  private static String params(List<ParamSpec> ps) {
    List<String> parts = new ArrayList<>();
    for (ParamSpec p : ps) {
      parts.add(param(p));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private static String param(ParamSpec p) {
    return "{\"key\": " + str(p.key().value()) + ", \"shape\": " + shape(p.shape()) + ", \"init\": "
        + str(p.init().name()) + ", \"trainable\": " + p.trainable() + "}";
  }

  private static String shape(TensorShape s) {
    StringBuilder b = new StringBuilder("[");
    int[] d = s.dims();
    for (int i = 0; i < d.length; i++) {
      b.append(i > 0 ? ", " : "").append(d[i]);
    }
    return b.append(']').toString();
  }

  private static String strings(List<String> xs) {
    List<String> parts = new ArrayList<>();
    for (String x : xs) {
      parts.add(str(x));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static String str(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
