package dev.enas.plugins.space.rnn;

import dev.enas.api.ir.Activation;
import dev.enas.api.schema.Architecture;
import java.util.ArrayList;
import java.util.List;

/**
 * One recurrent cell in the space's own terms: the activation of nodes 0..last and the node each later
 * node reads ({@code input[0]} is -1: node 0 reads x[t] and h[t-1]).
 */
record RecurrentCell(Activation[] activation, int[] input) {

  static RecurrentCell of(Architecture a, RnnSettings s) {
    int[] t = a.tokens();
    int last = s.lastNode();
    Activation[] act = new Activation[last + 1];
    int[] in = new int[last + 1];
    in[0] = -1;
    int pos = 0;
    if (s.oldFormat()) {
      act[0] = s.activations().get(t[pos++]);
    } else {
      // enas_lm's node 0 always uses tanh.
      act[0] = Activation.TANH;
    }
    for (int l = 1; l <= last; l++) {
      in[l] = t[pos++];
      act[l] = s.activations().get(t[pos++]);
    }
    return new RecurrentCell(act, in);
  }

  int lastNode() {
    return activation.length - 1;
  }

  /** Nodes that no later node reads. */
  List<Integer> looseEnds() {
    boolean[] used = new boolean[activation.length];
    for (int l = 1; l < input.length; l++) {
      used[input[l]] = true;
    }
    List<Integer> loose = new ArrayList<>();
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        loose.add(j);
      }
    }
    return loose;
  }

  /** The nodes h[t] averages: the loose ends, or every node after node 0. */
  List<Integer> averaged(boolean looseEnds) {
    if (looseEnds) {
      return looseEnds();
    }
    List<Integer> all = new ArrayList<>();
    for (int l = 1; l <= lastNode(); l++) {
      all.add(l);
    }
    return all;
  }
}
