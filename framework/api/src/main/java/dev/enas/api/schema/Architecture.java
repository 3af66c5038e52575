package dev.enas.api.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** One value for every choice point of a decision schema; immutable. Build it with {@link DecisionSchema#fromTokens}. */
public final class Architecture {
  private final DecisionSchema schema;
  private final int[][] values;

  Architecture(DecisionSchema schema, List<int[]> values) {
    this.schema = schema;
    this.values = new int[values.size()][];
    for (int i = 0; i < values.size(); i++) {
      this.values[i] = values.get(i).clone();
    }
  }

  public DecisionSchema schema() {
    return schema;
  }

  /** The value of the i-th choice point. */
  public int[] value(int i) {
    return values[i].clone();
  }

  /** Values by choice key, as {@link dev.enas.api.ir.Graph#resolve} takes them. */
  public Map<String, int[]> byKey() {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(schema.points().get(i).key(), values[i].clone());
    }
    return m;
  }

  /** All tokens in schema order. */
  public int[] tokens() {
    List<Integer> t = new ArrayList<>();
    for (int[] v : values) {
      for (int x : v) {
        t.add(x);
      }
    }
    return t.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The tokens separated by spaces. */
  public String tokenString() {
    StringJoiner j = new StringJoiner(" ");
    for (int t : tokens()) {
      j.add(Integer.toString(t));
    }
    return j.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture a && a.schema.equals(schema) && Arrays.deepEquals(a.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return tokenString();
  }
}
