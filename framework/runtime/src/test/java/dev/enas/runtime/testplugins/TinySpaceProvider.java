package dev.enas.runtime.testplugins;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import dev.enas.proto.Schedule;
import java.util.List;

/** A two-choice space for host tests; its options type is {@link Schedule} only because that message has fields. */
public final class TinySpaceProvider implements SearchSpaceProvider<Schedule> {
  @Override
  public String id() {
    return "tiny";
  }

  @Override
  public Schedule defaultOptions() {
    return Schedule.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "a two-choice test space";
  }

  @Override
  public SearchSpace create(Schedule options) {
    if (options.getEpochs() < 0) {
      throw new IllegalArgumentException("epochs must not be negative");
    }
    return new SearchSpace() {
      public TaskKind task() {
        return TaskKind.IMAGE_CLASSIFICATION;
      }

      public DecisionSchema schema() {
        return new DecisionSchema(List.of(
            new ChoicePoint.Layer("op", List.of("conv3", "maxpool"), "ops", true),
            new ChoicePoint.Input("skip", List.of(0, 1), true, false)), 1);
      }

      public Graph supernet() {
        GraphBuilder b = new GraphBuilder();
        String x = b.input("x", "images", TensorShape.of(4, 4, 2));
        GraphBuilder conv = new GraphBuilder();
        conv.output(conv.op("c", Op.Conv2d.of(3, 2, ParamKey.of("op/conv3/w")), conv.input("in", "in", TensorShape.of(4, 4, 2))));
        GraphBuilder pool = new GraphBuilder();
        pool.output(pool.op("p", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), pool.input("in", "in", TensorShape.of(4, 4, 2))));
        String op = b.layerChoice("op", "op", List.of(x), List.of("conv3", "maxpool"), List.of(conv.build(), pool.build()));
        String y = b.inputChoice("skip", "skip", List.of(op), List.of(x, op), true, Node.Combine.SUM);
        String g = b.op("gap", new Op.GlobalAvgPool(), y);
        b.output(b.op("logits", new Op.Dense(3, true, ParamKey.of("head")), g));
        return b.build();
      }

      public String describe(Architecture a) {
        return "tiny " + a;
      }
    };
  }
}
