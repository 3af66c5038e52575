package dev.enas.api.ir;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stable name of one shared-weight tensor. Parameter sharing is key equality: two children that
 * read the same key read the same tensor.
 *
 * <p>A key may contain placeholders {@code {choice-key}} that resolve to the value chosen at that
 * choice point, so that an op's weights can depend on which input it reads (the authors' micro
 * supernet keeps one weight set per input index).
 */
public record ParamKey(String value) implements Comparable<ParamKey> {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

  public ParamKey {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a parameter key must not be blank");
    }
  }

  public static ParamKey of(String value) {
    return new ParamKey(value);
  }

  /** A key below this one: {@code weights.child("bn")} is {@code "<weights>/bn"}. */
  public ParamKey child(String suffix) {
    return new ParamKey(value + "/" + suffix);
  }

  public boolean isTemplate() {
    return PLACEHOLDER.matcher(value).find();
  }

  /** Replaces every {@code {choice-key}} with the value the function gives for that choice key. */
  public ParamKey resolve(Function<String, Integer> choiceValue) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Integer v = choiceValue.apply(m.group(1));
      if (v == null) {
        throw new IrException("parameter key " + value + " refers to unknown choice " + m.group(1));
      }
      m.appendReplacement(out, Integer.toString(v));
    }
    m.appendTail(out);
    return new ParamKey(out.toString());
  }

  @Override
  public int compareTo(ParamKey o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
