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
    // The output dropout reaches the softmax only: the carried state h is not dropped.
    String top = dropout(g, "h/drop", d.output(), "output", "h");
    // The authors tie the softmax to the embedding; that needs the embedding as wide as the state.
    g.op("logits", s.embedding() == s.hidden()
        ? new Op.TiedDense(s.vocab(), ParamKey.of("embedding"), ParamKey.of("softmax/b"))
        : new Op.Dense(s.vocab(), true, ParamKey.of("softmax")), top);
    return g.output("logits").output("h").build();
  }

  /** A variational dropout node on {@code in} with the named mask, or {@code in} itself at rate 0. */
  private static String dropout(GraphBuilder g, String id, double rate, String mask, String in) {
    return rate > 0 ? g.op(id, new Op.Dropout(rate, mask), in) : in;
  }

  private static String name(Activation a) {
    return a.name().toLowerCase(java.util.Locale.ROOT);
  }
}
