package dev.enas.plugins.space.micro;

import java.util.Arrays;
import java.util.List;

/** The five candidate ops of a block's slot, in the authors' op-id order (reference §2). */
enum MicroOp {
  SEP3("sep 3x3", "sep3", 3),
  SEP5("sep 5x5", "sep5", 5),
  AVG_POOL("avg 3x3", "avg3", 3),
  MAX_POOL("max 3x3", "max3", 3),
  IDENTITY("identity", "identity", 1);

  final String label;
  final String keyName;
  final int kernel;

  MicroOp(String label, String keyName, int kernel) {
    this.label = label;
    this.keyName = keyName;
    this.kernel = kernel;
  }

  static MicroOp byId(int id) {
    return values()[id];
  }

  boolean separable() {
    return this == SEP3 || this == SEP5;
  }

  static List<String> labels() {
    return Arrays.stream(values()).map(o -> o.label).toList();
  }

  /** "0 sep 3x3, 1 sep 5x5, ...", for error messages. */
  static String legend() {
    StringBuilder b = new StringBuilder();
    for (MicroOp o : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(o.ordinal()).append(' ').append(o.label);
    }
    return b.toString();
  }
}
