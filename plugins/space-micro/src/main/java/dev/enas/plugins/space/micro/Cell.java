package dev.enas.plugins.space.micro;

import java.util.ArrayList;
import java.util.List;

/**
 * One cell of a micro architecture in the space's own terms: for each block b, the node index and op of
 * its x and y slots. Block b computes node b+2; nodes 0 and 1 are the cell's inputs.
 */
record Cell(CellType type, int[] xInput, MicroOp[] xOp, int[] yInput, MicroOp[] yOp) {

  /** Decodes the 4B tokens {@code index_x op_x index_y op_y} per block, starting at {@code from}. */
  static Cell of(CellType type, int[] tokens, int from, int blocks) {
    int[] xi = new int[blocks];
    int[] yi = new int[blocks];
    MicroOp[] xo = new MicroOp[blocks];
    MicroOp[] yo = new MicroOp[blocks];
    for (int b = 0; b < blocks; b++) {
      int t = from + 4 * b;
      xi[b] = tokens[t];
      xo[b] = MicroOp.byId(tokens[t + 1]);
      yi[b] = tokens[t + 2];
      yo[b] = MicroOp.byId(tokens[t + 3]);
    }
    return new Cell(type, xi, xo, yi, yo);
  }

  int blocks() {
    return xInput.length;
  }

  /** Nodes from {@code first} to B+1 that no block reads: they form the cell output. */
  List<Integer> looseEnds(int first) {
    boolean[] used = new boolean[blocks() + 2];
    for (int b = 0; b < blocks(); b++) {
      used[xInput[b]] = true;
      used[yInput[b]] = true;
    }
    List<Integer> loose = new ArrayList<>();
    for (int j = first; j < used.length; j++) {
      if (!used[j]) {
        loose.add(j);
      }
    }
    return loose;
  }
}
