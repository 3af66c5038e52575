package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import java.util.Map;

/**
 * How a batch meets a child graph: images fed to the input named {@code images}, or token sequences fed one step
 * at a time to {@code tokens} with the cell's state ({@code state}, its second output) carried from step to step.
 * Together with the graph's structure it decides which compiled graph a step can reuse.
 */
record BatchLayout(boolean tokens, int steps, int stateWidth, int classes) {

  static final String IMAGES = "images";
  static final String TOKENS = "tokens";
  static final String STATE = "state";

  /** The layout for feeding this batch to this child, checking that the graph's inputs and outputs fit the batch. */
  static BatchLayout of(Graph child, Batch batch) {
    Map<String, TensorShape> shapes = child.shapes();
    List<NamedInput> inputs = child.inputNodes().stream().map(n -> new NamedInput(n.id(), (Op.Input) n.op())).toList();
    TensorShape logits = shapes.get(child.outputs().get(0));
    if (logits.rank() != 1) {
      throw new IllegalArgumentException("the graph's first output must be logits [classes], got " + logits);
    }
    if (batch instanceof Batch.Images b) {
      if (inputs.size() != 1 || !inputs.get(0).input.name().equals(IMAGES)) {
        throw new IllegalArgumentException("an image batch feeds exactly one input named \"" + IMAGES
            + "\"; the graph has inputs " + names(inputs));
      }
      TensorShape want = inputs.get(0).input.shape();
      if (!want.equals(b.shape())) {
        throw new IllegalArgumentException("the graph's images input is " + want + " but the batch holds " + b.shape());
      }
      if (child.outputs().size() != 1) {
        throw new IllegalArgumentException("an image classifier has exactly one output (logits), got "
            + child.outputs());
      }
      return new BatchLayout(false, 0, 0, logits.dim(0));
    }
    Batch.Tokens b = (Batch.Tokens) batch;
    int stateWidth = 0;
    boolean hasTokens = false;
    for (NamedInput n : inputs) {
      if (n.input.name().equals(TOKENS)) {
        hasTokens = true;
        if (!n.input.shape().equals(TensorShape.of(1))) {
          throw new IllegalArgumentException("the tokens input must have shape [1], got " + n.input.shape());
        }
      } else if (n.input.name().equals(STATE)) {
        if (n.input.shape().rank() != 1) {
          throw new IllegalArgumentException("the state input must be a vector, got " + n.input.shape());
        }
        stateWidth = n.input.shape().dim(0);
      } else {
        throw new IllegalArgumentException("a token batch feeds inputs \"" + TOKENS + "\" and \"" + STATE
            + "\"; the graph has input " + n.input.name());
      }
    }
    if (!hasTokens) {
      throw new IllegalArgumentException("a token batch needs an input named \"" + TOKENS + "\"; the graph has "
          + names(inputs));
    }
    int wantOutputs = stateWidth > 0 ? 2 : 1;
    if (child.outputs().size() != wantOutputs) {
      throw new IllegalArgumentException("a cell " + (stateWidth > 0 ? "with" : "without")
          + " a state input has " + wantOutputs + " output(s) (logits" + (stateWidth > 0 ? ", next state" : "")
          + "), got " + child.outputs());
    }
    if (stateWidth > 0 && !shapes.get(child.outputs().get(1)).equals(TensorShape.of(stateWidth))) {
      throw new IllegalArgumentException("the next state must have the state input's shape [" + stateWidth + "], got "
          + shapes.get(child.outputs().get(1)));
    }
    return new BatchLayout(true, b.steps(), stateWidth, logits.dim(0));
  }

  private record NamedInput(String id, Op.Input input) {}

  private static List<String> names(List<NamedInput> inputs) {
    return inputs.stream().map(n -> n.input.name()).toList();
  }
}
