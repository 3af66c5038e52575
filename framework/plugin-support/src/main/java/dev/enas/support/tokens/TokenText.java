package dev.enas.support.tokens;

import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ArchitectureFormatException;
import dev.enas.api.schema.ArchitectureTokens;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;

/** Parses architecture strings with errors that say, in the space's own terms, which token is wrong and why. */
public final class TokenText {
  private TokenText() {}

  /** What each token position means in a space. */
  public interface Positions {
    /** What the token at this position is, e.g. "layer 3 op id" or "node 3 activation". */
    String where(int position);

    /** A hint appended to an out-of-range error, e.g. the op legend; may be empty. */
    String hint(int position, int value);
  }

  /**
   * Parses whitespace- or comma-separated tokens into an architecture of {@code schema}. Each token is spelled as
   * {@link ArchitectureTokens} says: ASCII digits only, no sign, no leading zeros.
   *
   * @param layout the expected layout in words, quoted when the token count is wrong
   * @throws ArchitectureFormatException naming the first wrong token, where it is and what is allowed
   */
  public static Architecture parse(DecisionSchema schema, String text, String layout, Positions positions) {
    String[] parts = ArchitectureTokens.split(text);
    int[] ranges = ranges(schema);
    if (parts.length != ranges.length) {
      int at = Math.min(parts.length, ranges.length);
      String detail = parts.length < ranges.length
          ? "the string ends before token " + at + " (" + positions.where(at) + ")"
          : "token " + at + " (" + ArchitectureTokens.quote(parts[at]) + ") is one too many";
      throw new ArchitectureFormatException(at, "expected " + ranges.length + " tokens (" + layout + "), got "
          + parts.length + ": " + detail);
    }
    int[] tokens = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      tokens[i] = ArchitectureTokens.parse(i, parts[i], positions.where(i));
      if (tokens[i] < 0 || tokens[i] >= ranges[i]) {
        throw new ArchitectureFormatException(i, "token " + i + " (" + positions.where(i) + ") is "
            + ArchitectureTokens.echo(parts[i]) + ", allowed 0.." + (ranges[i] - 1) + positions.hint(i, tokens[i]));
      }
    }
    return schema.fromTokens(tokens);
  }

  /** The exclusive upper bound of every token position. */
  public static int[] ranges(DecisionSchema schema) {
    int[] r = new int[schema.tokenCount()];
    int pos = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++) {
        r[pos++] = p.tokenRange(i);
      }
    }
    return r;
  }
}
