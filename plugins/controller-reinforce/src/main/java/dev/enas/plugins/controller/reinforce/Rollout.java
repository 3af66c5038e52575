package dev.enas.plugins.controller.reinforce;

import java.util.Arrays;

/**
 * Everything one pass of the controller over a schema computed, kept so that the backward pass can
 * run over the same sequence. Its buffers are allocated once per schema and reused for every sample.
 */
final class Rollout {
  /** What an LSTM step was fed. */
  static final int INPUT_G_EMB = 0;
  static final int INPUT_EMBEDDING = 1;
  static final int INPUT_ANCHORS = 2;

  final int steps;
  // Per step: the input, the gate activations (i, f, o, g after their nonlinearities), the cell, tanh(cell), output.
  final double[][] x;
  final double[][] gates;
  final double[][] c;
  final double[][] tanhC;
  final double[][] h;
  final int[] inputKind;
  final int[] inputGroup;
  final int[] inputOp;
  final int[][] inputAnchors;
  final double[][] inputWeights;
  final int[] inputAnchorCount;
  /** The choice point decided at each step, or -1. */
  final int[] pointAtStep;
  /** The anchor each step's output became, or -1. */
  final int[] anchorAtStep;

  // Per anchor: the step whose output it is, and its attention key W_prev h.
  final int[] anchorStep;
  final double[][] keys;
  /** Per anchor: W_x times its output, filled the first time the anchor is fed to the LSTM. */
  final double[][] anchorGates;
  final boolean[] anchorGatesReady;
  int anchors;

  // Per choice point: raw logits, tanh(raw / temperature), the logits sampled from, probabilities
  // (of each option; for multi choices of each bit being 1), and the attention tanh vectors (candidates x H).
  final double[][] raw;
  final double[][] squashed;
  final double[][] logits;
  final double[][] probs;
  final double[][][] attention;
  /** Per choice point: log-sum-exp of its logits and its entropy (categorical choices). */
  final double[] logNorm;
  final double[] pointEntropy;
  final int[] tokens;

  double logProb;
  double entropy;
  /** Sum over multi input choices of KL(p(skip) || target), before averaging. */
  double skipKl;

  // Scratch for the backward pass.
  final double[][] dh;
  final double[][] dKey;

  Rollout(SchemaPlan plan, int hidden, boolean extraAnchorSteps) {
    steps = plan.stepCount(extraAnchorSteps);
    int h4 = 4 * hidden;
    x = new double[steps][hidden];
    gates = new double[steps][h4];
    c = new double[steps][hidden];
    tanhC = new double[steps][hidden];
    h = new double[steps][hidden];
    dh = new double[steps][hidden];
    inputKind = new int[steps];
    inputGroup = new int[steps];
    inputOp = new int[steps];
    inputAnchors = new int[steps][plan.maxCandidates];
    inputWeights = new double[steps][plan.maxCandidates];
    inputAnchorCount = new int[steps];
    pointAtStep = new int[steps];
    anchorAtStep = new int[steps];
    anchorStep = new int[plan.anchorCount];
    keys = new double[plan.anchorCount][hidden];
    anchorGates = new double[plan.anchorCount][h4];
    anchorGatesReady = new boolean[plan.anchorCount];
    dKey = new double[plan.anchorCount][hidden];
    int n = plan.points.size();
    raw = new double[n][];
    squashed = new double[n][];
    logits = new double[n][];
    probs = new double[n][];
    attention = new double[n][][];
    for (int i = 0; i < n; i++) {
      SchemaPlan.Point p = plan.points.get(i);
      raw[i] = new double[p.options()];
      squashed[i] = new double[p.options()];
      logits[i] = new double[p.options()];
      probs[i] = new double[p.options()];
      attention[i] = p.kind() == SchemaPlan.Kind.LAYER ? new double[0][] : new double[p.options()][hidden];
    }
    logNorm = new double[n];
    pointEntropy = new double[n];
    tokens = new int[plan.tokenCount];
  }

  void reset() {
    Arrays.fill(pointAtStep, -1);
    Arrays.fill(anchorAtStep, -1);
    Arrays.fill(anchorGatesReady, false);
    anchors = 0;
    logProb = 0;
    entropy = 0;
    skipKl = 0;
  }
}
