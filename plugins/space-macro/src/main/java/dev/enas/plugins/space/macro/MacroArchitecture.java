package dev.enas.plugins.space.macro;

import dev.enas.api.schema.Architecture;

/**
 * One macro architecture in the space's own terms: the op of each layer and, for each layer, which
 * anchors its skip bits select (anchor 0 is the stem, anchor j is layer j-1).
 */
record MacroArchitecture(MacroOp[] ops, boolean[][] skips) {

  static MacroArchitecture of(Architecture a) {
    int layers = (a.schema().points().size() + 1) / 2;
    MacroOp[] ops = new MacroOp[layers];
    boolean[][] skips = new boolean[layers][];
    int point = 0;
    for (int i = 0; i < layers; i++) {
      ops[i] = MacroOp.byId(a.value(point++)[0]);
      skips[i] = new boolean[i];
      if (i > 0) {
        int[] bits = a.value(point++);
        for (int j = 0; j < i; j++) {
          skips[i][j] = bits[j] == 1;
        }
      }
    }
    return new MacroArchitecture(ops, skips);
  }

  int layers() {
    return ops.length;
  }

  int skipCount() {
    int n = 0;
    for (boolean[] row : skips) {
      for (boolean b : row) {
        n += b ? 1 : 0;
      }
    }
    return n;
  }
}
