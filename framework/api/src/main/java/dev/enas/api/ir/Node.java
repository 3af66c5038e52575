package dev.enas.api.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of the network IR: an op, one of the two kinds of choice node of one-shot NAS, or a cell's
 * loose ends, which follow from the input choices.
 */
public sealed interface Node {

  /** Unique id within its graph; other nodes name it as an input. */
  String id();

  /** Ids of the nodes this one reads, all declared earlier in the graph. */
  List<String> inputs();

  /** An op applied to its inputs. */
  record OpNode(String id, Op op, List<String> inputs) implements Node {
    public OpNode {
      inputs = List.copyOf(inputs);
      if (op.arity() >= 0 && inputs.size() != op.arity()) {
        throw new IrException("node " + id + ": " + op.label() + " takes " + op.arity() + " input(s), got " + inputs.size());
      }
      if (op.arity() < 0 && inputs.isEmpty()) {
        throw new IrException("node " + id + ": " + op.label() + " needs at least one input");
      }
    }
  }

  /**
   * A layer choice: exactly one of several candidate sub-graphs is applied to this node's inputs.
   * Each candidate's {@link Op.Input} nodes bind, in order, to {@link #inputs()}; its single output
   * is this node's output. {@code key} names the choice point in the decision schema.
   */
  record LayerChoice(String id, String key, List<String> inputs, List<Graph> candidates, List<String> names)
      implements Node {
    public LayerChoice {
      inputs = List.copyOf(inputs);
      candidates = List.copyOf(candidates);
      names = List.copyOf(names);
      if (candidates.isEmpty() || candidates.size() != names.size()) {
        throw new IrException("layer choice " + key + " needs one name for each of at least one candidate");
      }
      for (Graph g : candidates) {
        if (g.outputs().size() != 1) {
          throw new IrException("layer choice " + key + ": every candidate must have exactly one output");
        }
        if (g.inputNodes().size() != inputs.size()) {
          throw new IrException("layer choice " + key + ": every candidate must take " + inputs.size() + " input(s)");
        }
      }
    }
  }

  /**
   * An input choice: one of {@code candidates} (or, when {@code multi}, any subset of them) is
   * combined with the always-present {@code fixed} inputs by {@code combine}.
   */
  record InputChoice(String id, String key, List<String> fixed, List<String> candidates, boolean multi, Combine combine)
      implements Node {
    public InputChoice {
      fixed = List.copyOf(fixed);
      candidates = List.copyOf(candidates);
      if (candidates.isEmpty()) {
        throw new IrException("input choice " + key + " has no candidates");
      }
    }

    @Override
    public List<String> inputs() {
      List<String> all = new ArrayList<>(fixed);
      all.addAll(candidates);
      return all;
    }
  }

  /**
   * The loose ends of a cell, ENAS's cell output: {@code candidates.get(i)} is combined when no input
   * choice of the child selects {@code ends.get(i)} (as a chosen candidate or as a fixed input). It is
   * not a decision of its own: {@link Graph#resolve} derives it from the input choices' values, so a
   * space whose output depends on which nodes were left unused still resolves from its choices alone.
   * {@code candidates} are the ends themselves, or one projection of each end.
   */
  record LooseEnds(String id, List<String> ends, List<String> candidates, Combine combine) implements Node {
    public LooseEnds {
      ends = List.copyOf(ends);
      candidates = List.copyOf(candidates);
      if (ends.isEmpty() || ends.size() != candidates.size()) {
        throw new IrException("loose ends " + id + " need one candidate for each of at least one end");
      }
    }

    @Override
    public List<String> inputs() {
      return candidates;
    }
  }

  /** How an input choice combines the inputs it selected. */
  enum Combine {
    SUM,
    MEAN,
    CONCAT
  }
}
