package dev.enas.plugins.space.rnn;

import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one step of the language model around the recurrent cell's supernet in the IR: the input {@code tokens}
 * [1] (a word id) is embedded to {@code x} [E]; the input {@code state} [H] is the previous step's state; node 0
 * mixes them, then for each node an input choice over the earlier nodes ({@code node<l>/input}) and an activation
 * choice ({@code node<l>/act}) among four highway units; the new state {@code h} [H] is the mean of all nodes after
 * node 0 or of the loose ends. Outputs: the next word's logits [vocabulary] (a softmax layer over {@code h}, tied to
 * the embedding when E = H, as the authors do), then {@code h}. A backend unrolls the step over a sequence, carrying the state.
 */
final class RnnSupernet {
  private RnnSupernet() {}

  static Graph build(RnnSettings s) {
    if (s.lstm()) {
      return lstm(s);
    }
    GraphBuilder g = new GraphBuilder();
    TensorShape h = TensorShape.of(s.hidden());
    TensorShape e = TensorShape.of(s.embedding());
    String tokens = g.input("tokens", "tokens", TensorShape.of(1));
    String hPrev = g.input("h_prev", "state", h);
    RnnSettings.Dropouts d = s.dropouts();
    String x = g.op("x", new Op.Embedding(s.vocab(), s.embedding(), ParamKey.of("embedding"), d.word()), tokens);
    // enas_lm's variational dropouts: one mask per sequence each; "between" is one mask for every node's input.
    x = dropout(g, "x/drop", d.embedding(), "embedding", x);
    String cellIn = dropout(g, "x/drop_input", d.input(), "input", x);
    // As enas_lm: the dropped state enters each node's product, the undropped one is its carry.
    boolean separate = d.between() > 0;
    List<String> node0In = separate
        ? List.of(cellIn, dropout(g, "h_prev/drop", d.between(), "between", hPrev), hPrev) : List.of(cellIn, hPrev);
    List<String> nodes = new ArrayList<>();
    if (s.oldFormat()) {
      List<Graph> candidates = new ArrayList<>();
      for (Activation a : s.activations()) {
        GraphBuilder c = new GraphBuilder();
        List<String> in = new ArrayList<>(List.of(c.input("x", "x", e)));
        if (separate) {
          in.add(c.input("h_prev_dropped", "h_prev_dropped", h));
        }
        in.add(c.input("h_prev", "h_prev", h));
        c.op("highway", new Op.Highway(a, ParamKey.of("node0/" + name(a) + "/w"), separate), in);
        candidates.add(c.output("highway").build());
      }
      nodes.add(g.layerChoice("node0", "node0/act", node0In, s.labels(), candidates));
    } else {
      // enas_lm's node 0: [h, c] = [x, h_prev] W_prev, s0 = h_prev + sigmoid(c) (tanh(h) - h_prev).
      nodes.add(g.op("node0", new Op.Highway(Activation.TANH, ParamKey.of("node0/w"), separate), node0In));
    }
    for (int l = 1; l <= s.lastNode(); l++) {
      String node = "node" + l;
      g.inputChoice(node + "/input", node + "/input", List.of(), List.copyOf(nodes), false, Node.Combine.SUM);
      List<Graph> candidates = new ArrayList<>();
      for (Activation a : s.activations()) {
        // With per-input weights the key holds a placeholder that resolves to the node this one reads.
        String key = node + "/" + name(a) + (s.perInputWeights() ? "/in{" + node + "/input}" : "") + "/w";
        GraphBuilder c = new GraphBuilder();
        List<String> in = new ArrayList<>();
        if (separate) {
          in.add(c.input("s_dropped", "s_dropped", h));
        }
        in.add(c.input("s", "s", h));
        c.op("highway", new Op.Highway(a, ParamKey.of(key), separate), in);
        candidates.add(c.output("highway").build());
      }
      List<String> in = separate
          ? List.of(dropout(g, node + "/drop", d.between(), "between", node + "/input"), node + "/input")
          : List.of(node + "/input");
      nodes.add(g.layerChoice(node, node + "/act", in, s.labels(), candidates));
    }
    if (s.looseEndOutput()) {
      g.looseEnds("h", nodes, nodes, Node.Combine.MEAN);
    } else {
      List<String> averaged = nodes.subList(1, nodes.size());
      g.op("h", averaged.size() == 1 ? new Op.Identity() : new Op.Mean(), averaged);
    }
    softmax(g, s, "h");
    return g.output("logits").output("h").build();
  }

  /**
   * The baseline: one LSTM step with the same embedding, dropouts and softmax. The state input and output {@code h}
   * are [h, c] (2H); the cell input and h[t-1] are dropped as the ENAS cell's input and state, the output before the
   * softmax, and c not at all.
   */
  private static Graph lstm(RnnSettings s) {
    GraphBuilder g = new GraphBuilder();
    int h = s.hidden();
    String tokens = g.input("tokens", "tokens", TensorShape.of(1));
    String state = g.input("state_prev", "state", TensorShape.of(2 * h));
    RnnSettings.Dropouts d = s.dropouts();
    String x = g.op("x", new Op.Embedding(s.vocab(), s.embedding(), ParamKey.of("embedding"), d.word()), tokens);
    x = dropout(g, "x/drop", d.embedding(), "embedding", x);
    String cellIn = dropout(g, "x/drop_input", d.input(), "input", x);
    String hPrev = g.op("h_prev", new Op.Slice(0, h), state);
    String cPrev = g.op("c_prev", new Op.Slice(h, 2 * h), state);
    g.op("h", new Op.Lstm(ParamKey.of("lstm")), cellIn, dropout(g, "h_prev/drop", d.between(), "between", hPrev), cPrev);
    softmax(g, s, g.op("h/out", new Op.Slice(0, h), "h"));
    return g.output("logits").output("h").build();
  }

  /**
   * The activation penalties on the cell output (as enas_lm, before the output dropout), the output dropout, then the
   * softmax, as node {@code logits}; the carried state is not dropped.
   */
  private static void softmax(GraphBuilder g, RnnSettings s, String cellOut) {
    String top = s.activationL2() > 0 || s.slowness() > 0
        ? g.op(cellOut + "/penalty", new Op.ActivationPenalty(s.activationL2(), s.slowness()), cellOut) : cellOut;
    String dropped = dropout(g, cellOut + "/drop", s.dropouts().output(), "output", top);
    // The authors tie the softmax to the embedding; that needs the embedding as wide as the state.
    g.op("logits", s.embedding() == s.hidden()
        ? new Op.TiedDense(s.vocab(), ParamKey.of("embedding"), ParamKey.of("softmax/b"))
        : new Op.Dense(s.vocab(), true, ParamKey.of("softmax")), dropped);
  }

  /** A variational dropout node on {@code in} with the named mask, or {@code in} itself at rate 0. */
  private static String dropout(GraphBuilder g, String id, double rate, String mask, String in) {
    return rate > 0 ? g.op(id, new Op.Dropout(rate, mask), in) : in;
  }

  private static String name(Activation a) {
    return a.name().toLowerCase(java.util.Locale.ROOT);
  }
}
