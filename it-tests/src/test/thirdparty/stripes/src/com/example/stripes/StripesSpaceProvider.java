package com.example.stripes;

import com.google.protobuf.DynamicMessage;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A third-party search space, written against the API jar alone: a stem convolution, then {@code num_layers} layers
 * that each pick a 3x3 convolution, a 5x5 convolution or a 3x3 max pool, then global average pooling and a dense
 * classifier, for 28x28 grey images of 10 classes (Fashion-MNIST). Its options are a {@link DynamicMessage}.
 */
public final class StripesSpaceProvider implements SearchSpaceProvider<DynamicMessage> {
  private static final List<String> OPS = List.of("conv 3x3", "conv 5x5", "max 3x3");
  private static final TensorShape IMAGE = TensorShape.of(28, 28, 1);

  @Override
  public String id() {
    return "stripes";
  }

  @Override
  public DynamicMessage defaultOptions() {
    return StripesOptions.defaults();
  }

  @Override
  public String summary() {
    return "a third-party test space: a chain of layers, each a 3x3 conv, a 5x5 conv or a max pool";
  }

  @Override
  public SearchSpace create(DynamicMessage options) {
    int channels = StripesOptions.channels(options);
    int layers = StripesOptions.numLayers(options);
    if (channels < 1 || layers < 1) {
      // the host turns this into one line and exit code 2, naming the plugin and its options type
      throw new IllegalArgumentException("stripes options channels and num_layers must be positive, got channels "
          + channels + " and num_layers " + layers);
    }
    List<ChoicePoint> points = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      points.add(new ChoicePoint.Layer("layer" + i, OPS, "ops", true));
    }
    DecisionSchema schema = new DecisionSchema(points, 0);
    Graph supernet = supernet(channels, layers);
    return new SearchSpace() {
      @Override
      public TaskKind task() {
        return TaskKind.IMAGE_CLASSIFICATION;
      }

      @Override
      public DecisionSchema schema() {
        return schema;
      }

      @Override
      public Graph supernet() {
        return supernet;
      }

      // parse(String) is the API's default: DecisionSchema.parse, ASCII digits only, with the allowed ranges

      @Override
      public String describe(Architecture a) {
        StringBuilder b = new StringBuilder();
        int[] t = a.tokens();
        for (int i = 0; i < t.length; i++) {
          b.append("layer ").append(i).append(": ").append(OPS.get(t[i])).append('\n');
        }
        return b.toString();
      }
    };
  }

  private static Graph supernet(int channels, int layers) {
    GraphBuilder b = new GraphBuilder();
    // the backend feeds the input named "images"; the first output is the logits
    String x = b.input("x", "images", IMAGE);
    x = b.chain("stem", x, Op.Conv2d.of(3, channels, ParamKey.of("stem")), new Op.Act(Activation.RELU));
    TensorShape shape = TensorShape.of(28, 28, channels);
    for (int i = 0; i < layers; i++) {
      List<Graph> candidates = new ArrayList<>();
      for (int op = 0; op < OPS.size(); op++) {
        GraphBuilder c = new GraphBuilder();
        String in = c.input("in", "in", shape);
        String out = op == 2 ? c.op("pool", new Op.Pool(Op.Pool.Kind.MAX, 3, 1), in)
            : c.chain("conv", in, Op.Conv2d.of(op == 0 ? 3 : 5, channels, ParamKey.of("layer" + i + "/conv" + op)),
                new Op.Act(Activation.RELU));
        c.output(out);
        candidates.add(c.build());
      }
      x = b.layerChoice("layer" + i, "layer" + i, List.of(x), OPS, candidates);
    }
    String gap = b.op("gap", new Op.GlobalAvgPool(), x);
    b.output(b.op("logits", new Op.Dense(10, true, ParamKey.of("head")), gap));
    return b.build();
  }
}
