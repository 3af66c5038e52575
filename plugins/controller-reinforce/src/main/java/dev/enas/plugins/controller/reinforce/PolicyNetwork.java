package dev.enas.plugins.controller.reinforce;

import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.AnchorStep;
import dev.enas.support.random.SplitMix64;
import java.util.Arrays;

/**
 * The ENAS controller network over a compiled schema: a one-layer LSTM without biases, op
 * embeddings and a softmax projection per layer group, and additive attention over anchors for
 * input choices. {@link #forward} samples (or follows given tokens) and records a {@link Rollout};
 * {@link #backward} back-propagates the REINFORCE loss through the whole recorded sequence.
 *
 * <p>Step order of one sample: one LSTM step per initial anchor (fed {@code g_emb}; its output is the
 * anchor), then one step per choice point in schema order. A choice that closes an anchor makes its
 * own step's output the anchor ({@code CHOICE_OUTPUT}), or runs one extra step fed with the choice's
 * result whose output is the anchor, after which the next input is {@code g_emb} again ({@code EXTRA_STEP}).
 * The input after a layer choice is the chosen op's embedding; after a single input choice the chosen
 * anchor; after a multi input choice the sum of the selected anchors divided by (1 + number selected).
 * With the {@code choice_embedding} option the step that makes choice i also adds a learned vector of
 * its own to its input.
 */
final class PolicyNetwork {
  private final SchemaPlan plan;
  private final ReinforceSettings settings;
  private final PolicyParameters p;
  private final int hidden;
  private final boolean extraStep;
  private final double logTarget;
  private final double logNotTarget;
  private final double logitTarget;

  private final double[] zero;
  private final double[] currProj;
  private final double[] dCurr;
  private final double[] dGates;
  private final double[] dx;
  private final double[] dhNext;
  private final double[] dcNext;
  private final double[] dcPrev;
  private final double[] dz;

  /**
   * W_x times every fixed input (g_emb, then each group's op embeddings), 4H each: these inputs do
   * not change between updates, so their input half of the LSTM product is computed once.
   */
  private final double[] gEmbGates;
  private final double[][][] embeddingGates;
  /** W_x times each choice embedding, 4H per choice point (no rows unless the option is on). */
  private final double[][] choiceGates;
  private boolean inputCacheValid;

  PolicyNetwork(SchemaPlan plan, ReinforceSettings settings, PolicyParameters params) {
    this.plan = plan;
    this.settings = settings;
    this.p = params;
    this.hidden = params.hidden;
    this.extraStep = settings.anchorStep() == AnchorStep.EXTRA_STEP;
    double rho = settings.skipTarget();
    this.logTarget = Math.log(rho);
    this.logNotTarget = Math.log(1 - rho);
    this.logitTarget = logTarget - logNotTarget;
    zero = new double[hidden];
    currProj = new double[hidden];
    dCurr = new double[hidden];
    dGates = new double[4 * hidden];
    dx = new double[hidden];
    dhNext = new double[hidden];
    dcNext = new double[hidden];
    dcPrev = new double[hidden];
    int maxOptions = plan.maxCandidates;
    for (int n : plan.groupSizes) {
      maxOptions = Math.max(maxOptions, n);
    }
    dz = new double[maxOptions];
    gEmbGates = new double[4 * hidden];
    choiceGates = new double[params.choiceEmbedding.length][4 * hidden];
    embeddingGates = new double[plan.groupSizes.length][][];
    for (int g = 0; g < plan.groupSizes.length; g++) {
      embeddingGates[g] = new double[plan.groupSizes[g]][4 * hidden];
    }
  }

  /** Must be called whenever the parameters change: drops the cached input products. */
  void parametersChanged() {
    inputCacheValid = false;
  }

  private void refreshInputCache() {
    inputProduct(p.gEmb, gEmbGates);
    for (int g = 0; g < embeddingGates.length; g++) {
      for (int o = 0; o < plan.groupSizes[g]; o++) {
        inputProduct(p.embedding[g][o], embeddingGates[g][o]);
      }
    }
    for (int i = 0; i < choiceGates.length; i++) {
      inputProduct(p.choiceEmbedding[i], choiceGates[i]);
    }
    inputCacheValid = true;
  }

  /** out = the input half of the LSTM product for input x (rows 0..H-1 of the LSTM weights). */
  private void inputProduct(double[] x, double[] out) {
    Arrays.fill(out, 0);
    matVecAdd(x, p.lstm, 0, hidden, out);
  }

  Rollout newRollout() {
    return new Rollout(plan, hidden, extraStep);
  }

  // ---------------------------------------------------------------- forward

  /** Runs the controller over the schema, sampling with {@code rng}, or following {@code forced} tokens when given. */
  void forward(Rollout r, SplitMix64 rng, int[] forced) {
    if (!inputCacheValid) {
      refreshInputCache();
    }
    r.reset();
    int step = 0;
    describeGEmb(r, 0);
    for (int a = 0; a < plan.initialAnchors; a++, step++) {
      lstmForward(r, step);
      addAnchor(r, step);
      describeGEmb(r, step + 1);
    }
    for (int i = 0; i < plan.points.size(); i++, step++) {
      SchemaPlan.Point pt = plan.points.get(i);
      r.pointAtStep[step] = i;
      lstmForward(r, step);
      if (pt.kind() == SchemaPlan.Kind.LAYER) {
        decideLayer(r, step, i, pt, rng, forced);
      } else if (pt.kind() == SchemaPlan.Kind.SINGLE_INPUT) {
        decideSingleInput(r, step, i, pt, rng, forced);
      } else {
        decideMultiInput(r, step, i, pt, rng, forced);
      }
      if (pt.closesAnchor()) {
        if (extraStep) {
          step++;
          lstmForward(r, step);
          describeGEmb(r, step + 1);
        }
        addAnchor(r, step);
      }
    }
  }

  private void decideLayer(Rollout r, int s, int i, SchemaPlan.Point pt, SplitMix64 rng, int[] forced) {
    double[] hs = r.h[s];
    int g = pt.group();
    double[][] w = p.softmax[g];
    double[] b = p.softmaxBias[g];
    double[] raw = r.raw[i];
    for (int o = 0; o < raw.length; o++) {
      raw[o] = b[o] + dot(w[o], hs);
    }
    squash(r, i, settings.opTanhConstant());
    int token = categorical(r, i, forced == null ? -1 : forced[pt.tokenOffset()], rng);
    r.tokens[pt.tokenOffset()] = token;
    if (s + 1 < r.steps) {
      r.inputKind[s + 1] = Rollout.INPUT_EMBEDDING;
      r.inputGroup[s + 1] = g;
      r.inputOp[s + 1] = token;
    }
  }

  private void decideSingleInput(Rollout r, int s, int i, SchemaPlan.Point pt, SplitMix64 rng, int[] forced) {
    attend(r, s, i, pt);
    squash(r, i, settings.tanhConstant());
    double penalty = settings.inputDistancePenalty();
    if (penalty > 0) {
      int[] cands = pt.candidates();
      for (int ci = 0; ci < cands.length; ci++) {
        double d = pt.anchorsBefore() - cands[ci];
        r.logits[i][ci] -= penalty * d * d;
      }
    }
    int token = categorical(r, i, forced == null ? -1 : forced[pt.tokenOffset()], rng);
    r.tokens[pt.tokenOffset()] = token;
    if (s + 1 < r.steps) {
      r.inputKind[s + 1] = Rollout.INPUT_ANCHORS;
      r.inputAnchors[s + 1][0] = pt.candidates()[token];
      r.inputWeights[s + 1][0] = 1;
      r.inputAnchorCount[s + 1] = 1;
    }
  }

  private void decideMultiInput(Rollout r, int s, int i, SchemaPlan.Point pt, SplitMix64 rng, int[] forced) {
    attend(r, s, i, pt);
    squash(r, i, settings.tanhConstant());
    double[] y = r.logits[i];
    double[] pr = r.probs[i];
    int[] cands = pt.candidates();
    int[] selected = s + 1 < r.steps ? r.inputAnchors[s + 1] : new int[cands.length];
    int count = 0;
    for (int ci = 0; ci < cands.length; ci++) {
      // Two-way logits [-y, y]: p(bit = 1) = sigmoid(2y).
      double logP1 = -softplus(-2 * y[ci]);
      double logP0 = -softplus(2 * y[ci]);
      double p1 = Math.exp(logP1);
      pr[ci] = p1;
      int bit;
      if (forced != null) {
        bit = forced[pt.tokenOffset() + ci];
      } else {
        bit = rng.nextDouble() < p1 ? 1 : 0;
      }
      r.tokens[pt.tokenOffset() + ci] = bit;
      r.logProb += bit == 1 ? logP1 : logP0;
      r.entropy -= p1 * logP1 + (1 - p1) * logP0;
      r.skipKl += p1 * (logP1 - logTarget) + (1 - p1) * (logP0 - logNotTarget);
      if (bit == 1) {
        selected[count++] = cands[ci];
      }
    }
    if (s + 1 < r.steps) {
      r.inputKind[s + 1] = Rollout.INPUT_ANCHORS;
      Arrays.fill(r.inputWeights[s + 1], 0, count, 1.0 / (1 + count));
      r.inputAnchorCount[s + 1] = count;
    }
  }

  /** Raw attention scores q_j = v . tanh(W_prev h_j + W_curr h) over the candidate anchors. */
  private void attend(Rollout r, int s, int i, SchemaPlan.Point pt) {
    project(r.h[s], p.attnCurr, currProj);
    int[] cands = pt.candidates();
    double[] raw = r.raw[i];
    double[] v = p.attnV;
    for (int ci = 0; ci < cands.length; ci++) {
      double[] key = r.keys[cands[ci]];
      double[] t = r.attention[i][ci];
      double q = 0;
      for (int j = 0; j < hidden; j++) {
        t[j] = tanh(key[j] + currProj[j]);
        q += v[j] * t[j];
      }
      raw[ci] = q;
    }
  }

  /** logits = c * tanh(raw / temperature), either part switched off by a zero setting. */
  private void squash(Rollout r, int i, double tanhConstant) {
    double[] raw = r.raw[i];
    double[] sq = r.squashed[i];
    double[] y = r.logits[i];
    double temperature = settings.temperature();
    for (int o = 0; o < raw.length; o++) {
      double u = temperature > 0 ? raw[o] / temperature : raw[o];
      if (tanhConstant > 0) {
        sq[o] = tanh(u);
        y[o] = tanhConstant * sq[o];
      } else {
        y[o] = u;
      }
    }
  }

  /** d(-entropy)/d logit_o of a categorical choice: p_o (log p_o + H). */
  private static double entropySlope(Rollout r, int i, int o) {
    double p = r.probs[i][o];
    return p * (r.logits[i][o] - r.logNorm[i] + r.pointEntropy[i]);
  }

  /** d logits / d raw of {@link #squash}. */
  private double squashSlope(Rollout r, int i, int o, double tanhConstant) {
    double slope = 1;
    if (tanhConstant > 0) {
      double t = r.squashed[i][o];
      slope = tanhConstant * (1 - t * t);
    }
    double temperature = settings.temperature();
    return temperature > 0 ? slope / temperature : slope;
  }

  /** Softmax over the point's logits into its probabilities; samples (or takes {@code forced}); adds log p and entropy. */
  private int categorical(Rollout r, int i, int forced, SplitMix64 rng) {
    double[] y = r.logits[i];
    double[] pr = r.probs[i];
    double max = Double.NEGATIVE_INFINITY;
    for (double v : y) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int o = 0; o < y.length; o++) {
      pr[o] = Math.exp(y[o] - max);
      sum += pr[o];
    }
    double lse = max + Math.log(sum);
    double entropy = 0;
    for (int o = 0; o < y.length; o++) {
      pr[o] /= sum;
      entropy -= pr[o] * (y[o] - lse);
    }
    int token = forced;
    if (token < 0) {
      double u = rng.nextDouble();
      double cum = 0;
      token = y.length - 1;
      for (int o = 0; o < y.length; o++) {
        cum += pr[o];
        if (u < cum) {
          token = o;
          break;
        }
      }
    }
    r.logProb += y[token] - lse;
    r.entropy += entropy;
    r.logNorm[i] = lse;
    r.pointEntropy[i] = entropy;
    return token;
  }

  private void describeGEmb(Rollout r, int s) {
    if (s < r.steps) {
      r.inputKind[s] = Rollout.INPUT_G_EMB;
    }
  }

  private void addAnchor(Rollout r, int s) {
    int a = r.anchors++;
    r.anchorStep[a] = s;
    r.anchorAtStep[s] = a;
    project(r.h[s], p.attnPrev, r.keys[a]);
  }

  private void lstmForward(Rollout r, int s) {
    double[] x = r.x[s];
    double[] gt = r.gates[s];
    int g4 = 4 * hidden;
    int kind = r.inputKind[s];
    if (kind == Rollout.INPUT_G_EMB) {
      System.arraycopy(p.gEmb, 0, x, 0, hidden);
      System.arraycopy(gEmbGates, 0, gt, 0, g4);
    } else if (kind == Rollout.INPUT_EMBEDDING) {
      int g = r.inputGroup[s];
      int op = r.inputOp[s];
      System.arraycopy(p.embedding[g][op], 0, x, 0, hidden);
      System.arraycopy(embeddingGates[g][op], 0, gt, 0, g4);
    } else {
      // An anchor's input product is computed once per sample, the first time the anchor is fed.
      Arrays.fill(x, 0);
      Arrays.fill(gt, 0);
      for (int k = 0; k < r.inputAnchorCount[s]; k++) {
        int a = r.inputAnchors[s][k];
        double w = r.inputWeights[s][k];
        double[] anchorGates = r.anchorGates[a];
        if (!r.anchorGatesReady[a]) {
          inputProduct(r.h[r.anchorStep[a]], anchorGates);
          r.anchorGatesReady[a] = true;
        }
        axpy(w, r.h[r.anchorStep[a]], x);
        axpy(w, anchorGates, gt);
      }
    }
    int point = r.pointAtStep[s];
    if (choiceGates.length > 0 && point >= 0) {
      axpy(1, p.choiceEmbedding[point], x);
      axpy(1, choiceGates[point], gt);
    }
    double[] cPrev = s == 0 ? zero : r.c[s - 1];
    if (s > 0) {
      matVecAdd(r.h[s - 1], p.lstm, hidden, hidden, gt);
    }
    double[] c = r.c[s];
    double[] tc = r.tanhC[s];
    double[] h = r.h[s];
    int hh = hidden;
    for (int j = 0; j < hh; j++) {
      double in = sigmoid(gt[j]);
      double forget = sigmoid(gt[hh + j]);
      double out = sigmoid(gt[2 * hh + j]);
      double cand = tanh(gt[3 * hh + j]);
      gt[j] = in;
      gt[hh + j] = forget;
      gt[2 * hh + j] = out;
      gt[3 * hh + j] = cand;
      c[j] = in * cand + forget * cPrev[j];
      tc[j] = tanh(c[j]);
      h[j] = out * tc[j];
    }
  }

  // ---------------------------------------------------------------- backward

  /**
   * Adds to {@code g} the gradient of {@code -advantage * log p(tokens) + skipCoef * skipKl
   * - entropyCoef * entropy} for the tokens recorded in {@code r}, back-propagated through every
   * step of the sequence.
   */
  void backward(Rollout r, double advantage, double skipCoef, double entropyCoef, PolicyParameters g) {
    for (int s = 0; s < r.steps; s++) {
      Arrays.fill(r.dh[s], 0);
    }
    for (int a = 0; a < r.anchors; a++) {
      Arrays.fill(r.dKey[a], 0);
    }
    Arrays.fill(dhNext, 0);
    Arrays.fill(dcNext, 0);
    for (int s = r.steps - 1; s >= 0; s--) {
      double[] dh = r.dh[s];
      int i = r.pointAtStep[s];
      if (i >= 0) {
        SchemaPlan.Point pt = plan.points.get(i);
        if (pt.kind() == SchemaPlan.Kind.LAYER) {
          layerBackward(r, s, i, pt, advantage, entropyCoef, g, dh);
        } else {
          inputBackward(r, s, i, pt, advantage, skipCoef, entropyCoef, g, dh);
        }
      }
      int a = r.anchorAtStep[s];
      if (a >= 0) {
        projectBackward(r.h[s], p.attnPrev, g.attnPrev, r.dKey[a], dh);
      }
      for (int j = 0; j < hidden; j++) {
        dh[j] += dhNext[j];
      }
      lstmBackward(r, s, dh, g);
      feedBackward(r, s, g);
    }
  }

  private void layerBackward(Rollout r, int s, int i, SchemaPlan.Point pt, double advantage, double entropyCoef,
      PolicyParameters g, double[] dh) {
    int token = r.tokens[pt.tokenOffset()];
    double[] pr = r.probs[i];
    double scale = settings.opTanhConstant();
    int grp = pt.group();
    double[][] w = p.softmax[grp];
    double[][] gw = g.softmax[grp];
    double[] gb = g.softmaxBias[grp];
    double[] hs = r.h[s];
    for (int o = 0; o < pr.length; o++) {
      double dy = advantage * (pr[o] - (o == token ? 1 : 0)) + entropyCoef * entropySlope(r, i, o);
      double d = dy * squashSlope(r, i, o, scale);
      gb[o] += d;
      axpy(d, hs, gw[o]);
      axpy(d, w[o], dh);
    }
  }

  private void inputBackward(Rollout r, int s, int i, SchemaPlan.Point pt, double advantage, double skipCoef,
      double entropyCoef, PolicyParameters g, double[] dh) {
    int[] cands = pt.candidates();
    double[] pr = r.probs[i];
    double[] y = r.logits[i];
    double scale = settings.tanhConstant();
    if (pt.kind() == SchemaPlan.Kind.SINGLE_INPUT) {
      int token = r.tokens[pt.tokenOffset()];
      for (int ci = 0; ci < cands.length; ci++) {
        double dy = advantage * (pr[ci] - (ci == token ? 1 : 0)) + entropyCoef * entropySlope(r, i, ci);
        dz[ci] = dy * squashSlope(r, i, ci, scale);
      }
    } else {
      for (int ci = 0; ci < cands.length; ci++) {
        int bit = r.tokens[pt.tokenOffset() + ci];
        double p1 = pr[ci];
        // d(-log p(bit))/dy = -2 (bit - p1); dKL/dy = 2 p1 (1 - p1) (2y - logit(target));
        // d(-entropy)/dy = 4y p1 (1 - p1).
        double spread = 2 * p1 * (1 - p1);
        double dy = -2 * advantage * (bit - p1) + skipCoef * spread * (2 * y[ci] - logitTarget)
            + entropyCoef * spread * 2 * y[ci];
        dz[ci] = dy * squashSlope(r, i, ci, scale);
      }
    }
    Arrays.fill(dCurr, 0);
    double[] v = p.attnV;
    for (int ci = 0; ci < cands.length; ci++) {
      double dq = dz[ci];
      double[] t = r.attention[i][ci];
      double[] dKey = r.dKey[cands[ci]];
      axpy(dq, t, g.attnV);
      for (int j = 0; j < hidden; j++) {
        double da = dq * v[j] * (1 - t[j] * t[j]);
        dKey[j] += da;
        dCurr[j] += da;
      }
    }
    projectBackward(r.h[s], p.attnCurr, g.attnCurr, dCurr, dh);
  }

  /** Back through one LSTM step: consumes dh (total) and dcNext, leaves dhNext/dcNext for step s-1 and dx. */
  private void lstmBackward(Rollout r, int s, double[] dh, PolicyParameters g) {
    int hh = hidden;
    double[] gt = r.gates[s];
    double[] tc = r.tanhC[s];
    double[] cPrev = s == 0 ? zero : r.c[s - 1];
    double[] hPrev = s == 0 ? zero : r.h[s - 1];
    for (int j = 0; j < hh; j++) {
      double in = gt[j];
      double forget = gt[hh + j];
      double out = gt[2 * hh + j];
      double cand = gt[3 * hh + j];
      double dc = dcNext[j] + dh[j] * out * (1 - tc[j] * tc[j]);
      dGates[j] = dc * cand * in * (1 - in);
      dGates[hh + j] = dc * cPrev[j] * forget * (1 - forget);
      dGates[2 * hh + j] = dh[j] * tc[j] * out * (1 - out);
      dGates[3 * hh + j] = dc * in * (1 - cand * cand);
      dcPrev[j] = dc * forget;
    }
    System.arraycopy(dcPrev, 0, dcNext, 0, hh);
    double[][] w = p.lstm;
    double[][] gw = g.lstm;
    double[] x = r.x[s];
    for (int k = 0; k < hh; k++) {
      axpy(x[k], dGates, gw[k]);
      dx[k] = dot(w[k], dGates);
    }
    for (int k = 0; k < hh; k++) {
      axpy(hPrev[k], dGates, gw[hh + k]);
      dhNext[k] = dot(w[hh + k], dGates);
    }
  }

  /** Sends dx to what step s was fed: g_emb, an op embedding, or the anchors' outputs. */
  private void feedBackward(Rollout r, int s, PolicyParameters g) {
    int point = r.pointAtStep[s];
    if (choiceGates.length > 0 && point >= 0) {
      axpy(1, dx, g.choiceEmbedding[point]);
    }
    int kind = r.inputKind[s];
    if (kind == Rollout.INPUT_G_EMB) {
      axpy(1, dx, g.gEmb);
    } else if (kind == Rollout.INPUT_EMBEDDING) {
      axpy(1, dx, g.embedding[r.inputGroup[s]][r.inputOp[s]]);
    } else {
      for (int k = 0; k < r.inputAnchorCount[s]; k++) {
        axpy(r.inputWeights[s][k], dx, r.dh[r.anchorStep[r.inputAnchors[s][k]]]);
      }
    }
  }

  // ---------------------------------------------------------------- linear algebra

  /** out = W^T in for an input-major H x H matrix. */
  private void project(double[] in, double[][] w, double[] out) {
    Arrays.fill(out, 0);
    matVecAdd(in, w, 0, hidden, out);
  }

  /** Back through {@link #project}: gW += in (x) dOut, dIn += W dOut. */
  private void projectBackward(double[] in, double[][] w, double[][] gw, double[] dOut, double[] dIn) {
    for (int k = 0; k < hidden; k++) {
      axpy(in[k], dOut, gw[k]);
      dIn[k] += dot(w[k], dOut);
    }
  }

  /**
   * y += sum over k < rows of x[k] * w[firstRow + k]: an input-major matrix-vector product. Four rows
   * go through each pass over y, which saves loads and stores of y; every access starts at index 0 of
   * its own array, so the loop vectorises.
   */
  static void matVecAdd(double[] x, double[][] w, int firstRow, int rows, double[] y) {
    int n = y.length;
    int k = 0;
    for (; k + 3 < rows; k += 4) {
      double a0 = x[k];
      double a1 = x[k + 1];
      double a2 = x[k + 2];
      double a3 = x[k + 3];
      double[] w0 = w[firstRow + k];
      double[] w1 = w[firstRow + k + 1];
      double[] w2 = w[firstRow + k + 2];
      double[] w3 = w[firstRow + k + 3];
      for (int j = 0; j < n; j++) {
        y[j] += (a0 * w0[j] + a1 * w1[j]) + (a2 * w2[j] + a3 * w3[j]);
      }
    }
    for (; k < rows; k++) {
      axpy(x[k], w[firstRow + k], y);
    }
  }

  /** y += a * x over the whole of y. */
  private static void axpy(double a, double[] x, double[] y) {
    for (int j = 0; j < y.length; j++) {
      y[j] += a * x[j];
    }
  }

  /** a . b over the whole of a, with four partial sums to shorten the dependency chain. */
  private static double dot(double[] a, double[] b) {
    int n = a.length;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[j] * b[j];
      s1 += a[j + 1] * b[j + 1];
      s2 += a[j + 2] * b[j + 2];
      s3 += a[j + 3] * b[j + 3];
    }
    for (; j < n; j++) {
      s0 += a[j] * b[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * tanh through {@link Math#exp}, which the JIT turns into an intrinsic while {@link Math#tanh} is a
   * slow library call on JDK 17; the absolute error stays near 1e-16.
   */
  static double tanh(double x) {
    if (x > 20) {
      return 1;
    }
    if (x < -20) {
      return -1;
    }
    double e = Math.exp(2 * x);
    return (e - 1) / (e + 1);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** log(1 + e^x) without overflow. */
  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
