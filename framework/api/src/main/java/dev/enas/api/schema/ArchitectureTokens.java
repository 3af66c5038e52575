package dev.enas.api.schema;

/**
 * The authors' token format, shared by every architecture-string parser ({@link DecisionSchema#parse} and the
 * shipped spaces' own parsers): tokens are separated by whitespace or commas, and a token is a whole number written
 * with the ASCII digits 0-9, without a sign and without leading zeros ({@code 0}, {@code 3}, {@code 12}). Unicode
 * digits, {@code +1}, {@code 00} and {@code -0} are refused, so that one architecture has exactly one string.
 * A negative number ({@code -1}) reads as its value, so that its error is the token's allowed range.
 */
public final class ArchitectureTokens {
  /** Longest piece of a token an error message quotes; longer tokens are cut. */
  public static final int ECHO_LIMIT = 40;

  private ArchitectureTokens() {}

  /** The tokens of an architecture string; empty for a null or blank string. */
  public static String[] split(String text) {
    String trimmed = text == null ? "" : text.strip();
    return trimmed.isEmpty() ? new String[0] : trimmed.split("[\\s,]+");
  }

  /**
   * The value of one token.
   *
   * @param position the token's 0-based position, for the message
   * @param where what the token is in the space's terms (e.g. "layer 3 op id"), or null
   * @throws ArchitectureFormatException when the token is not written in the format above; the message names the
   *     position, quotes the token (cut to {@value #ECHO_LIMIT} characters) and says what is wrong
   */
  public static int parse(int position, String token, String where) {
    String at = "token " + position + (where == null || where.isEmpty() ? "" : " (" + where + ")") + " is "
        + quote(token);
    String problem = problem(token);
    if (problem != null) {
      throw new ArchitectureFormatException(position, at + ", " + problem);
    }
    boolean negative = token.charAt(0) == '-';
    // at most 10 digits fit an int; a longer one is out of every range, and so is a 10-digit one past int
    String digits = negative ? token.substring(1) : token;
    if (digits.length() > 10) {
      return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    long v = Long.parseLong(digits);
    v = negative ? -v : v;
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  /** What is wrong with the token's spelling, or null when it is a number in the authors' format. */
  private static String problem(String token) {
    if (token.isEmpty()) {
      return "which is empty";
    }
    boolean digitsOnly = true;
    boolean anyDigit = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isDigit(c) && (c < '0' || c > '9')) {
        return "which is not written with the ASCII digits 0-9";
      }
      boolean ascii = c >= '0' && c <= '9';
      anyDigit |= ascii;
      digitsOnly &= ascii || (i == 0 && (c == '-' || c == '+'));
    }
    if (!digitsOnly || !anyDigit) {
      return "which is not a number";
    }
    char first = token.charAt(0);
    if (first == '+' || token.equals("-0") || token.startsWith("-0")) {
      return "which has a sign; write a token as a plain number (0, 1, 2, ...)";
    }
    String digits = first == '-' ? token.substring(1) : token;
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return "which has a leading zero; write a token as a plain number (0, 1, 2, ...)";
    }
    return null;
  }

  /** The token in single quotes, cut to {@value #ECHO_LIMIT} characters with its full length when longer. */
  public static String quote(String token) {
    return token.length() <= ECHO_LIMIT ? "'" + token + "'" : "'" + cut(token) + "...' (" + token.length()
        + " characters)";
  }

  /** The token as written, for a number out of range: cut to {@value #ECHO_LIMIT} characters when longer. */
  public static String echo(String token) {
    return token.length() <= ECHO_LIMIT ? token : cut(token) + "... (" + token.length() + " characters)";
  }

  private static String cut(String token) {
    // never cut a surrogate pair in two
    int end = Character.isHighSurrogate(token.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
    return token.substring(0, end);
  }
}
