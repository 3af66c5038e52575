package dev.enas.api.schema;

import java.util.List;

/**
 * One decision a controller makes. A controller sees only these: the kind of choice, its options,
 * and for input choices which earlier anchors (nodes the controller has described so far) are candidates.
 */
public sealed interface ChoicePoint {

  /** Stable key, equal to the key of the matching choice node in the supernet. */
  String key();

  /** Number of integer tokens the choice contributes to an architecture. */
  int arity();

  /** Number of distinct values of the whole choice. */
  java.math.BigInteger cardinality();

  /** Exclusive upper bound of the token at this position within the choice (lower bound 0). */
  int tokenRange(int position);

  /** Whether the controller closes a new anchor (a node later input choices may point at) after this choice. */
  boolean closesAnchor();

  /**
   * Pick one of {@code options} (ops).
   *
   * @param group choices in the same group share the controller's op embeddings
   */
  record Layer(String key, List<String> options, String group, boolean closesAnchor) implements ChoicePoint {
    public Layer {
      options = List.copyOf(options);
      if (options.isEmpty()) {
        throw new IllegalArgumentException("layer choice " + key + " has no options");
      }
    }

    public int arity() {
      return 1;
    }

    public java.math.BigInteger cardinality() {
      return java.math.BigInteger.valueOf(options.size());
    }

    public int tokenRange(int position) {
      return options.size();
    }
  }

  /**
   * Pick one of the candidate anchors, or with {@code multi} any subset of them (one 0/1 token each).
   *
   * @param anchors indices of the candidate anchors, in the order their tokens or indices refer to them
   */
  record Input(String key, List<Integer> anchors, boolean multi, boolean closesAnchor) implements ChoicePoint {
    public Input {
      anchors = List.copyOf(anchors);
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("input choice " + key + " has no candidates");
      }
    }

    public int arity() {
      return multi ? anchors.size() : 1;
    }

    public java.math.BigInteger cardinality() {
      return multi ? java.math.BigInteger.TWO.pow(anchors.size()) : java.math.BigInteger.valueOf(anchors.size());
    }

    public int tokenRange(int position) {
      return multi ? 2 : anchors.size();
    }
  }
}
