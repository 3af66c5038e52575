package dev.enas.support.backend;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a batch meets a child graph: images fed to the input named {@code images}, or token sequences fed one step
 * at a time to {@code tokens} with the cell's state ({@code state}, its second output) carried from step to step.
 * An image classifier's outputs after the first must be auxiliary logits ({@link Op.AuxLogits}). Together with the
 * graph's structure it decides which compiled graph a step can reuse. Pure IR logic, the same for every backend, so
 * every backend refuses the same graphs and batches with the same messages.
 *
 * @param tokens whether the batch is token sequences (else images)
 * @param steps the sequence length of a token batch; 0 for images
 * @param stateWidth the width of the cell's {@code state} input; 0 when it has none (or for images)
 * @param classes the number of logits (the vocabulary size for tokens)
 */
public record BatchLayout(boolean tokens, int steps, int stateWidth, int classes) {

  public static final String IMAGES = "images";
  public static final String TOKENS = "tokens";
  public static final String STATE = "state";

  /**
   * The child without nodes no output depends on (their tensors get no gradient and a step must not touch them);
   * a graph that still has choice nodes is an {@link IllegalArgumentException}.
   */
  public static Graph live(Graph child) {
    Objects.requireNonNull(child, "child");
    if (child.hasChoices()) {
      throw new IllegalArgumentException("the graph still has choice nodes; resolve the supernet to a child first");
    }
    return child.pruned();
  }

  /** The layout for this batch and child, also checking that every label or token id is within the logits. */
  public static BatchLayout checked(Graph child, Batch batch) {
    Objects.requireNonNull(batch, "batch");
    BatchLayout layout = of(child, batch);
    if (batch instanceof Batch.Images b) {
      for (int label : b.labels()) {
        if (label < 0 || label >= layout.classes()) {
          throw new IllegalArgumentException("label " + label + " is outside [0, " + layout.classes()
              + ") for a graph with " + layout.classes() + " logits");
        }
      }
    } else {
      Batch.Tokens b = (Batch.Tokens) batch;
      for (int[] ids : new int[][] {b.inputs(), b.targets()}) {
        for (int id : ids) {
          if (id < 0 || id >= layout.classes()) {
            throw new IllegalArgumentException("token " + id + " is outside the vocabulary [0, " + layout.classes()
                + ")");
          }
        }
      }
    }
    return layout;
  }

  /** The layout for feeding this batch to this child, checking that the graph's inputs and outputs fit the batch. */
  public static BatchLayout of(Graph child, Batch batch) {
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
      for (int i = 1; i < child.outputs().size(); i++) {
        auxLogits(child, i);
        TensorShape aux = shapes.get(child.outputs().get(i));
        if (!aux.equals(logits)) {
          throw new IllegalArgumentException("auxiliary logits " + child.outputs().get(i) + " must have the main "
              + "logits' shape " + logits + ", got " + aux);
        }
      }
      Optional<Penalised> penalty = penalised(child);
      if (penalty.isPresent()) {
        throw new IllegalArgumentException("an activation penalty (node " + penalty.get().node() + ") "
            + "applies to a language model's cell output; an image batch has no sequence for it");
      }
      return new BatchLayout(false, 0, 0, logits.dim(0));
    }
    Batch.Tokens b = (Batch.Tokens) batch;
    for (String out : child.outputs()) {
      if (isAux(child, out)) {
        throw new IllegalArgumentException("auxiliary logits (output " + out + ") are supported for image batches "
            + "only; a token graph's outputs are its logits and its next state");
      }
    }
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

  /** The auxiliary-logits op of output {@code index} (after the first); a clear error when it is something else. */
  public static Op.AuxLogits auxLogits(Graph child, int index) {
    String id = child.outputs().get(index);
    if (!isAux(child, id)) {
      throw new IllegalArgumentException("an image classifier's first output is its logits and any further output "
          + "must be auxiliary logits (Op.AuxLogits); output " + index + " (" + id + ") is "
          + describe(child.node(id)));
    }
    return (Op.AuxLogits) ((Node.OpNode) child.node(id)).op();
  }

  /** A graph's node that carries an activation penalty, and the penalty. */
  public record Penalised(String node, Op.ActivationPenalty penalty) {}

  /**
   * The graph's activation-penalty node ({@link Op.ActivationPenalty}), if any; more than one is an
   * {@link IllegalArgumentException}.
   */
  public static Optional<Penalised> penalised(Graph child) {
    Penalised found = null;
    for (Node n : child.nodes()) {
      if (n instanceof Node.OpNode o && o.op() instanceof Op.ActivationPenalty p) {
        if (found != null) {
          throw new IllegalArgumentException("a graph may carry one activation penalty; nodes " + found.node()
              + " and " + n.id() + " both do");
        }
        found = new Penalised(n.id(), p);
      }
    }
    return Optional.ofNullable(found);
  }

  /** Whether node {@code id} is an auxiliary-logits op. */
  public static boolean isAux(Graph child, String id) {
    return child.node(id) instanceof Node.OpNode o && o.op() instanceof Op.AuxLogits;
  }

  /** The graph with only its main outputs (auxiliary heads are ignored in evaluation) and what they depend on. */
  public static Graph withoutAuxOutputs(Graph child) {
    List<String> main = new java.util.ArrayList<>();
    for (int i = 0; i < child.outputs().size(); i++) {
      if (i == 0 || !isAux(child, child.outputs().get(i))) {
        main.add(child.outputs().get(i));
      }
    }
    return main.size() == child.outputs().size() ? child : new Graph(child.nodes(), main).pruned();
  }

  private static String describe(Node n) {
    return n instanceof Node.OpNode o ? "a " + o.op().label() + " node" : "a choice node";
  }

  private record NamedInput(String id, Op.Input input) {}

  private static List<String> names(List<NamedInput> inputs) {
    return inputs.stream().map(n -> n.input.name()).toList();
  }
}
