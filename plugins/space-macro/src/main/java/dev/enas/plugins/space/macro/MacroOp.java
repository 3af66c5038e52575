package dev.enas.plugins.space.macro;

import java.util.Arrays;
import java.util.List;

/** The six candidate ops of a macro layer, in the authors' op-id order (reference §1). */
enum MacroOp {
  CONV3("conv 3x3", "conv3", 3, Kind.CONV),
  SEP3("sep 3x3", "sep3", 3, Kind.SEPARABLE),
  CONV5("conv 5x5", "conv5", 5, Kind.CONV),
  SEP5("sep 5x5", "sep5", 5, Kind.SEPARABLE),
  AVG_POOL("avg pool 3x3", "avgpool", 3, Kind.POOL),
  MAX_POOL("max pool 3x3", "maxpool", 3, Kind.POOL);

  /** How an op is built. */
  enum Kind { CONV, SEPARABLE, POOL }

  final String label;
  final String keyName;
  final int kernel;
  final Kind kind;

  MacroOp(String label, String keyName, int kernel, Kind kind) {
    this.label = label;
    this.keyName = keyName;
    this.kernel = kernel;
    this.kind = kind;
  }

  static MacroOp byId(int id) {
    return values()[id];
  }

  /** The labels in op-id order: the options of every layer choice. */
  static List<String> labels() {
    return Arrays.stream(values()).map(o -> o.label).toList();
  }

  /** "0 conv 3x3, 1 sep 3x3, ...", for error messages. */
  static String legend() {
    StringBuilder b = new StringBuilder();
    for (MacroOp o : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(o.ordinal()).append(' ').append(o.label);
    }
    return b.toString();
  }
}
