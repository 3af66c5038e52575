package dev.enas.api.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ordered list of a search space's choice points. An architecture is one value for each of them;
 * its tokens, in this order, are the architecture's string.
 *
 * @param initialAnchors anchors that exist before the first choice (the micro cell's two inputs, the recurrent cell's node 0)
 */
public record DecisionSchema(List<ChoicePoint> points, int initialAnchors) {

  public DecisionSchema {
    points = List.copyOf(points);
    Set<String> keys = new HashSet<>();
    int anchors = initialAnchors;
    for (ChoicePoint p : points) {
      if (!keys.add(p.key())) {
        throw new IllegalArgumentException("duplicate choice key " + p.key());
      }
      if (p instanceof ChoicePoint.Input in) {
        for (int a : in.anchors()) {
          if (a < 0 || a >= anchors) {
            throw new IllegalArgumentException("input choice " + p.key() + " points at anchor " + a
                + ", but only " + anchors + " exist before it");
          }
        }
      }
      if (p.closesAnchor()) {
        anchors++;
      }
    }
  }

  /** Number of tokens of an architecture string. */
  public int tokenCount() {
    return points.stream().mapToInt(ChoicePoint::arity).sum();
  }

  /** Number of distinct architectures: the product of every choice's cardinality. */
  public BigInteger size() {
    BigInteger n = BigInteger.ONE;
    for (ChoicePoint p : points) {
      n = n.multiply(p.cardinality());
    }
    return n;
  }

  public ChoicePoint point(String key) {
    for (ChoicePoint p : points) {
      if (p.key().equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no choice point " + key);
  }

  /** An architecture with every token drawn uniformly from its range, for benchmarks and tests. */
  public Architecture uniform(java.util.SplittableRandom rng) {
    int[] t = new int[tokenCount()];
    int pos = 0;
    for (ChoicePoint p : points) {
      for (int i = 0; i < p.arity(); i++) {
        t[pos++] = rng.nextInt(p.tokenRange(i));
      }
    }
    return fromTokens(t);
  }

  /** The architecture with these tokens, checking the length and every token's range. */
  public Architecture fromTokens(int[] tokens) {
    if (tokens.length != tokenCount()) {
      throw new ArchitectureFormatException(-1, "expected " + tokenCount() + " tokens, got " + tokens.length);
    }
    List<int[]> values = new ArrayList<>();
    int pos = 0;
    for (ChoicePoint p : points) {
      int[] v = new int[p.arity()];
      for (int i = 0; i < v.length; i++, pos++) {
        int t = tokens[pos];
        int range = p.tokenRange(i);
        if (t < 0 || t >= range) {
          throw new ArchitectureFormatException(pos, "token " + pos + " (" + describeToken(p, i) + ") is " + t
              + ", allowed 0.." + (range - 1));
        }
        v[i] = t;
      }
      values.add(v);
    }
    return new Architecture(this, values);
  }

  /**
   * Parses an architecture string: tokens separated by whitespace or commas, each a whole number written with the
   * ASCII digits 0-9, without sign or leading zeros, as the authors write them ({@link ArchitectureTokens}); null reads as empty.
   * Errors name the token's position and what it is, quote it (cut to 40 characters) and give the allowed range.
   */
  public Architecture parse(String text) {
    String[] parts = ArchitectureTokens.split(text);
    int[] tokens = new int[parts.length];
    int pos = 0;
    for (ChoicePoint p : points) {
      for (int i = 0; i < p.arity() && pos < parts.length; i++, pos++) {
        String where = describeToken(p, i);
        int t = ArchitectureTokens.parse(pos, parts[pos], where);
        int range = p.tokenRange(i);
        if (t < 0 || t >= range) {
          throw new ArchitectureFormatException(pos, "token " + pos + " (" + where + ") is "
              + ArchitectureTokens.echo(parts[pos]) + ", allowed 0.." + (range - 1));
        }
        tokens[pos] = t;
      }
    }
    if (pos < parts.length) {
      throw new ArchitectureFormatException(pos, "expected " + tokenCount() + " tokens, got " + parts.length
          + ": token " + pos + " (" + ArchitectureTokens.quote(parts[pos]) + ") is one too many");
    }
    return fromTokens(tokens);
  }

  private static String describeToken(ChoicePoint p, int i) {
    if (p instanceof ChoicePoint.Input in) {
      return in.multi() ? p.key() + " skip bit " + i : p.key() + " input index";
    }
    return p.key() + " op id";
  }
}
