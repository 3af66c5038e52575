package dev.enas.support.backend;

import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a language model's one-step graph runs over a whole sequence: the part that does not depend on the carried
 * state (the embedding) once over all tokens, the recurrence once per step, and what reads the recurrence but does not
 * feed the next state (the softmax layer) once over every step's output.
 *
 * <p>Why: unrolled naively, the softmax layer is a [batch x vocabulary] product per step whose 35 weight gradients are
 * then summed, and the embedding's gradient is a dense [vocabulary x width] tensor per step; once over [steps x batch]
 * rows it is one product and one gradient each (issue 15's profile: the per-step sums were the largest cost after the
 * matrix products). Only row-wise ops (each example's row computed on its own) may be hoisted, so the result is the
 * same function; a graph with anything else outside the recurrence is unrolled whole ({@link #of} is empty).
 *
 * <p>Rows are step-major throughout: row {@code t * batch + i} is example {@code i} at step {@code t}, the order in
 * which the logits meet the targets.
 *
 * @param prefix nodes computed once over all {@code steps x batch} tokens, in graph order (inputs included)
 * @param prefixOut nodes of the prefix that the loop or the suffix reads
 * @param loop nodes computed once per step
 * @param loopOut nodes of the loop the next step or the suffix reads: the state output first
 * @param suffix nodes computed once over every step's rows, in graph order
 * @param logits the graph's first output (in the loop or the suffix)
 * @param state the graph's state output
 * @param penalised the node carrying an activation penalty ({@link Op.ActivationPenalty}), or null
 */
public record SequencePlan(Set<String> prefix, List<String> prefixOut, Set<String> loop, List<String> loopOut,
    Set<String> suffix, String logits, String state, String penalised) {

  /** Ops that compute each example's row from that row alone (dropout draws an independent mask per element). */
  private static final Set<Class<? extends Op>> ROW_WISE = Set.of(Op.Input.class, Op.Embedding.class, Op.Dense.class,
      Op.TiedDense.class, Op.Identity.class, Op.Dropout.class, Op.Act.class, Op.Add.class, Op.Mean.class,
      Op.Concat.class, Op.Slice.class, Op.ActivationPenalty.class);

  /**
   * The plan for a graph with a token input, a state input and outputs {@code [logits, state]}, whose hoisted parts
   * are row-wise op nodes; empty for any other graph, which a backend then unrolls whole.
   */
  public static Optional<SequencePlan> of(Graph g) {
    if (g.outputs().size() != 2) {
      return Optional.empty();
    }
    String logits = g.outputs().get(0);
    String state = g.outputs().get(1);
    Set<String> dependent = new HashSet<>();
    for (Node n : g.nodes()) {
      boolean isState = n instanceof Node.OpNode o && o.op() instanceof Op.Input in
          && in.name().equals(BatchLayout.STATE);
      if (isState || n.inputs().stream().anyMatch(dependent::contains)) {
        dependent.add(n.id());
      }
    }
    if (!dependent.contains(state)) {
      return Optional.empty();
    }
    Set<String> loop = ancestors(g, List.of(state), dependent);
    Set<String> suffix = ancestors(g, List.of(logits), dependent);
    suffix.removeAll(loop);
    Set<String> prefix = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      if (!dependent.contains(n.id())) {
        prefix.add(n.id());
      }
    }
    List<String> prefixOut = new ArrayList<>();
    List<String> loopOut = new ArrayList<>(List.of(state));
    for (Node n : g.nodes()) {
      boolean hoisted = prefix.contains(n.id()) || suffix.contains(n.id());
      if (hoisted && !(n instanceof Node.OpNode o && ROW_WISE.contains(o.op().getClass()))) {
        return Optional.empty();
      }
      if (loop.contains(n.id()) || suffix.contains(n.id())) {
        for (String in : n.inputs()) {
          if (prefix.contains(in) && !prefixOut.contains(in)) {
            prefixOut.add(in);
          }
          if (suffix.contains(n.id()) && loop.contains(in) && !loopOut.contains(in)) {
            loopOut.add(in);
          }
        }
      }
    }
    String penalised = BatchLayout.penalised(g).map(BatchLayout.Penalised::node).orElse(null);
    for (String id : java.util.Arrays.asList(logits, penalised)) {
      if (id != null && loop.contains(id) && !loopOut.contains(id)) {
        loopOut.add(id);
      }
    }
    return Optional.of(new SequencePlan(prefix, List.copyOf(prefixOut), loop, List.copyOf(loopOut), suffix, logits,
        state, penalised));
  }

  /** The nodes among {@code within} that the outputs read, directly or not, the outputs included, in graph order. */
  private static Set<String> ancestors(Graph g, List<String> outputs, Set<String> within) {
    Set<String> reached = GraphWalk.needed(g.nodes(), outputs, Set.of());
    Set<String> out = new LinkedHashSet<>();
    for (Node n : g.nodes()) {
      if (reached.contains(n.id()) && within.contains(n.id())) {
        out.add(n.id());
      }
    }
    return out;
  }

  /** What running a plan needs from an engine, on its tensors {@code T}. */
  public interface Engine<T> {
    /** The listed nodes' values given named inputs and some nodes' values (an application of the graph). */
    List<T> apply(List<String> outputs, Map<String, T> inputs, Map<String, T> given);

    /** {@code x}'s rows in {@code parts} equal blocks, in order. */
    List<T> split(T x, int parts);

    /** The tensors' rows one block after another. */
    T concat(List<T> parts);
  }

  /**
   * A run's logits over the sequence, step-major, the state after its last step, and the penalised node's values over
   * the sequence, step-major (null when the graph carries no activation penalty).
   */
  public record Outcome<T>(T logits, T state, T activations) {}

  /**
   * The logits over a sequence, step-major, and the final state: the prefix once over {@code tokens} (all steps' token
   * ids, step-major rows), the loop once per step from {@code state}, the suffix once over every step's rows.
   */
  public <T> Outcome<T> run(Engine<T> e, T tokens, T state, int steps) {
    Map<String, T> tokenIn = Map.of(BatchLayout.TOKENS, tokens);
    List<T> hoisted = e.apply(prefixOut, tokenIn, Map.of());
    Map<String, T> whole = new HashMap<>();
    List<List<T>> byStep = new ArrayList<>();
    for (int i = 0; i < hoisted.size(); i++) {
      whole.put(prefixOut.get(i), hoisted.get(i));
      byStep.add(steps == 1 ? List.of(hoisted.get(i)) : e.split(hoisted.get(i), steps));
    }
    List<List<T>> loopValues = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Map<String, T> given = new HashMap<>();
      for (int i = 0; i < hoisted.size(); i++) {
        given.put(prefixOut.get(i), byStep.get(i).get(t));
      }
      List<T> out = e.apply(loopOut, Map.of(BatchLayout.STATE, state), given);
      loopValues.add(out);
      state = out.get(0);
    }
    Map<String, T> given = new HashMap<>(whole);
    for (int i = 0; i < loopOut.size(); i++) {
      List<T> perStep = new ArrayList<>();
      for (List<T> out : loopValues) {
        perStep.add(out.get(i));
      }
      given.put(loopOut.get(i), steps == 1 ? perStep.get(0) : e.concat(perStep));
    }
    List<String> rest = new ArrayList<>();
    for (String id : java.util.Arrays.asList(logits, penalised)) {
      if (id != null && !given.containsKey(id)) {
        rest.add(id);
      }
    }
    if (!rest.isEmpty()) {
      List<T> values = e.apply(rest, tokenIn, given);
      for (int i = 0; i < rest.size(); i++) {
        given.put(rest.get(i), values.get(i));
      }
    }
    return new Outcome<>(given.get(logits), state, penalised == null ? null : given.get(penalised));
  }
}
