package dev.enas.it;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A stand-in for the TensorFlow backend in {@link ValidateAgreesWithSearchIT}: it takes TensorFlow's options and
 * checks them with TensorFlow's own check, then computes nothing. Every step checks the backends' contract with the
 * child and its batch (the images input and its shape, logits over the classes, token ids inside the vocabulary,
 * every parameter's shape), so a config that validate accepts but no backend could run fails here. After
 * {@link #LIMIT} steps it stops the command with {@link #STOP}: the command was running, which is all the
 * property asks.
 */
public final class ProbeBackendProvider implements BackendProvider<TensorFlowBackendOptions> {
  /** Train and evaluate calls one backend answers before it stops the command. */
  static final int LIMIT = 12;
  /** The message of the stop: the config was accepted and the command was working. */
  static final String STOP = "probe backend: stopped after checking";

  @Override
  public String id() {
    return "probe";
  }

  @Override
  public TensorFlowBackendOptions defaultOptions() {
    return TensorFlowBackendOptions.getDefaultInstance();
  }

  @Override
  public void validate(TensorFlowBackendOptions options) {
    new TensorFlowBackendProvider().validate(options);
  }

  @Override
  public Backend create(TensorFlowBackendOptions options, long seed) {
    validate(options);
    return new Backend() {
      int calls;

      @Override
      public String device() {
        return "probe";
      }

      @Override
      public Set<Class<? extends Op>> supportedOps() {
        return Op.kinds();
      }

      @Override
      public TrainResult train(Graph child, Batch batch, double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
          throw new IllegalArgumentException("learning rate " + learningRate);
        }
        step(child, batch);
        return new TrainResult(1.0, 0.5);
      }

      @Override
      public Evaluation evaluate(Graph child, Batch batch) {
        step(child, batch);
        return new Evaluation(1.0, 0.5, batch.size(), 1);
      }

      private void step(Graph child, Batch batch) {
        if (++calls > LIMIT) {
          throw new IllegalStateException(STOP + " " + LIMIT + " steps");
        }
        check(child, batch);
      }

      @Override
      public void save(Path file, String spaceId) throws IOException {
        Files.writeString(file, spaceId, StandardCharsets.UTF_8);
      }

      @Override
      public void load(Path file, String spaceId) throws IOException {
        if (!Files.readString(file, StandardCharsets.UTF_8).equals(spaceId)) {
          throw new IOException(file + " was saved for another space");
        }
      }

      @Override
      public void close() {}
    };
  }

  /** The contract the TensorFlow backend checks (BatchLayout), in brief. */
  static void check(Graph child, Batch batch) {
    if (child.hasChoices()) {
      throw new IllegalArgumentException("the child still has choice nodes");
    }
    var shapes = child.shapes();
    child.params().forEach(p -> {
      if (p.shape().size() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("parameter " + p.key() + " has " + p.shape().size() + " values");
      }
    });
    TensorShape logits = shapes.get(child.outputs().get(0));
    if (logits.rank() != 1) {
      throw new IllegalArgumentException("first output is not logits: " + logits);
    }
    List<Op.Input> inputs = child.inputNodes().stream().map(n -> (Op.Input) ((Node.OpNode) n).op()).toList();
    if (batch instanceof Batch.Images b) {
      if (inputs.size() != 1 || !inputs.get(0).name().equals("images") || !inputs.get(0).shape().equals(b.shape())) {
        throw new IllegalArgumentException("inputs " + inputs + " do not take images of " + b.shape());
      }
      for (int label : b.labels()) {
        if (label < 0 || label >= logits.dim(0)) {
          throw new IllegalArgumentException("label " + label + " outside " + logits);
        }
      }
    } else {
      Batch.Tokens b = (Batch.Tokens) batch;
      if (inputs.stream().noneMatch(i -> i.name().equals("tokens") && i.shape().equals(TensorShape.of(1)))) {
        throw new IllegalArgumentException("no tokens input of shape [1]: " + inputs);
      }
      for (int[] ids : new int[][] {b.inputs(), b.targets()}) {
        for (int id : ids) {
          if (id < 0 || id >= logits.dim(0)) {
            throw new IllegalArgumentException("token " + id + " outside the vocabulary " + logits);
          }
        }
      }
    }
  }
}
