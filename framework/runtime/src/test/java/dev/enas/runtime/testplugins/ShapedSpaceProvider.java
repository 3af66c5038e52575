package dev.enas.runtime.testplugins;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.OptionException;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import java.util.List;

/**
 * A one-choice image space whose input name, image side and class count are options, to test the host's check of
 * a space against its dataset. Its options are a {@code google.protobuf.Struct}, as some third-party plugins write
 * them; the defaults name every key it knows.
 */
public final class ShapedSpaceProvider implements SearchSpaceProvider<Struct> {
  @Override
  public String id() {
    return "shaped";
  }

  @Override
  public Struct defaultOptions() {
    return Struct.newBuilder()
        .putFields("input", Value.newBuilder().setStringValue("images").build())
        .putFields("side", Value.newBuilder().setNumberValue(4).build())
        .putFields("channels", Value.newBuilder().setNumberValue(2).build())
        .putFields("classes", Value.newBuilder().setNumberValue(3).build())
        .build();
  }

  @Override
  public SearchSpace create(Struct options) {
    Struct o = defaultOptions().toBuilder().putAllFields(options.getFieldsMap()).build();
    String input = o.getFieldsOrThrow("input").getStringValue();
    int side = (int) o.getFieldsOrThrow("side").getNumberValue();
    int channels = (int) o.getFieldsOrThrow("channels").getNumberValue();
    int classes = (int) o.getFieldsOrThrow("classes").getNumberValue();
    if (side < 1) {
      throw new OptionException("side", "must be at least 1, got " + side);
    }
    return new SearchSpace() {
      public TaskKind task() {
        return TaskKind.IMAGE_CLASSIFICATION;
      }

      public DecisionSchema schema() {
        return new DecisionSchema(List.of(new ChoicePoint.Layer("op", List.of("conv3", "maxpool"), "ops", true)), 1);
      }

      public Graph supernet() {
        TensorShape shape = TensorShape.of(side, side, channels);
        GraphBuilder b = new GraphBuilder();
        String x = b.input("x", input, shape);
        GraphBuilder conv = new GraphBuilder();
        conv.output(conv.op("c", Op.Conv2d.of(3, channels, ParamKey.of("op/conv3/w")), conv.input("in", "in", shape)));
        GraphBuilder pool = new GraphBuilder();
        pool.output(pool.op("p", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), pool.input("in", "in", shape)));
        String op = b.layerChoice("op", "op", List.of(x), List.of("conv3", "maxpool"), List.of(conv.build(), pool.build()));
        String g = b.op("gap", new Op.GlobalAvgPool(), op);
        b.output(b.op("logits", new Op.Dense(classes, true, ParamKey.of("head")), g));
        return b.build();
      }

      public String describe(Architecture a) {
        return "shaped " + a;
      }
    };
  }
}
