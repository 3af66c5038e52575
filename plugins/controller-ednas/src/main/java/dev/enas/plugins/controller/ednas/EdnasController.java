package dev.enas.plugins.controller.ednas;

import dev.enas.support.policy.ScoredBatches;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.support.optim.Adam;
import dev.enas.support.random.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * EDNAS policy vectors: one logit vector per token of the schema, sampled independently through a
 * softmax. Input choices form the structure policy, layer choices the operation policy; a multi
 * input choice has a 2-way vector per candidate. Trained by REINFORCE with a moving-average baseline
 * and Adam; for a softmax the gradient of log pi(a) is onehot(a) - pi.
 */
final class EdnasController implements Controller {
  private final DecisionSchema schema;
  private final EdnasSettings settings;
  /** Policy logits, one vector per token position. */
  final double[][] logits;
  private final double[][] grads;
  private final double[] probs;
  private final Adam adam;
  private final SplitMix64 rng;
  private final String layout;
  private double baseline;

  EdnasController(EdnasSettings settings, DecisionSchema schema, long seed) {
    this.schema = schema;
    this.settings = settings;
    List<double[]> vectors = new ArrayList<>();
    StringBuilder shape = new StringBuilder();
    int widest = 1;
    int structure = 0;
    int operation = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++) {
        int n = p.tokenRange(i);
        vectors.add(new double[n]);
        widest = Math.max(widest, n);
        shape.append(p instanceof ChoicePoint.Layer ? 'o' : 's').append(n).append(',');
        if (p instanceof ChoicePoint.Layer) {
          operation++;
        } else {
          structure++;
        }
      }
    }
    // All logits start at zero: the first policy is uniform.
    this.logits = vectors.toArray(new double[0][]);
    this.grads = new double[logits.length][];
    for (int t = 0; t < logits.length; t++) {
      grads[t] = new double[logits[t].length];
    }
    this.probs = new double[widest];
    this.adam = new Adam(settings.learningRate(), settings.adamBeta1(), settings.adamBeta2(), settings.adamEpsilon(),
        Arrays.asList(logits));
    this.rng = new SplitMix64(seed);
    CRC32 crc = new CRC32();
    crc.update(shape.toString().getBytes(StandardCharsets.UTF_8));
    this.layout = structure + " structure and " + operation + " operation vectors, "
        + Arrays.stream(logits).mapToInt(v -> v.length).sum() + " logits, crc " + Long.toHexString(crc.getValue());
  }

  @Override
  public Sample sample() {
    int[] tokens = new int[logits.length];
    double logProb = 0;
    double entropy = 0;
    for (int t = 0; t < logits.length; t++) {
      double lse = softmax(logits[t]);
      double u = rng.nextDouble();
      double cum = 0;
      int n = logits[t].length;
      int token = n - 1;
      for (int k = 0; k < n; k++) {
        cum += probs[k];
        if (u < cum) {
          token = k;
          break;
        }
      }
      tokens[t] = token;
      logProb += logits[t][token] - lse;
      entropy += entropy(logits[t], lse);
    }
    return new Sample(schema.fromTokens(tokens), logProb, entropy);
  }

  /**
   * One REINFORCE step: for each sample in order the reward plus the entropy bonus updates the
   * baseline, then the advantage over it scales onehot(a) - pi for every token; Adam descends the
   * batch-mean loss -advantage * log pi(sample).
   */
  @Override
  public UpdateResult update(List<ScoredSample> batch) {
    if (batch.isEmpty()) {
      return new UpdateResult(0, baseline, 0, 0);
    }
    ScoredBatches.requireValid(batch, schema, "ednas");
    int n = batch.size();
    for (double[] g : grads) {
      Arrays.fill(g, 0);
    }
    double lossSum = 0;
    double rewardSum = 0;
    double entropySum = 0;
    for (ScoredSample scored : batch) {
      int[] tokens = scored.sample().architecture().tokens();
      double logProb = 0;
      double entropy = 0;
      for (int t = 0; t < logits.length; t++) {
        double lse = softmax(logits[t]);
        logProb += logits[t][tokens[t]] - lse;
        entropy += entropy(logits[t], lse);
      }
      double reward = scored.reward() + settings.entropyWeight() * entropy;
      baseline -= (1 - settings.baselineDecay()) * (baseline - reward);
      double advantage = reward - baseline;
      for (int t = 0; t < logits.length; t++) {
        softmax(logits[t]);
        double[] g = grads[t];
        for (int k = 0; k < g.length; k++) {
          g[k] -= advantage / n * ((k == tokens[t] ? 1 : 0) - probs[k]);
        }
      }
      lossSum += -advantage * logProb;
      rewardSum += scored.reward();
      entropySum += entropy;
    }
    adam.apply(Arrays.asList(logits), Arrays.asList(grads));
    return new UpdateResult(lossSum / n, baseline, rewardSum / n, entropySum / n);
  }

  /** The policy's probabilities for one token position: the interpretable policy vector. */
  double[] probabilities(int token) {
    softmax(logits[token]);
    return Arrays.copyOf(probs, logits[token].length);
  }

  /** Fills {@link #probs} with softmax(v) and returns log-sum-exp(v). */
  private double softmax(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int k = 0; k < v.length; k++) {
      probs[k] = Math.exp(v[k] - max);
      sum += probs[k];
    }
    for (int k = 0; k < v.length; k++) {
      probs[k] /= sum;
    }
    return max + Math.log(sum);
  }

  /** Entropy of softmax(v), given {@link #softmax} was just called on v and returned lse. */
  private double entropy(double[] v, double lse) {
    double h = 0;
    for (int k = 0; k < v.length; k++) {
      h -= probs[k] * (v[k] - lse);
    }
    return h;
  }

  @Override
  public byte[] saveState() {
    EdnasControllerState.Builder b = EdnasControllerState.newBuilder()
        .setLayout(layout)
        .setAdamStep(adam.step())
        .setBaseline(baseline)
        .setRngState(rng.state());
    for (int t = 0; t < logits.length; t++) {
      for (int k = 0; k < logits[t].length; k++) {
        b.addLogits(logits[t][k]);
        b.addAdamM(adam.firstMoments()[t][k]);
        b.addAdamV(adam.secondMoments()[t][k]);
      }
    }
    return b.setChecksum(checksum(b.build())).build().toByteArray();
  }

  @Override
  public void restoreState(byte[] state) {
    EdnasControllerState s;
    try {
      s = EdnasControllerState.parseFrom(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("ednas controller state is corrupt: " + e.getMessage(), e);
    }
    if (s.getChecksum() != checksum(s)) {
      throw new IllegalArgumentException("ednas controller state is corrupt: checksum mismatch");
    }
    if (!s.getLayout().equals(layout)) {
      throw new IllegalArgumentException("ednas controller state was saved for [" + s.getLayout()
          + "], this controller has [" + layout + "]");
    }
    int size = Arrays.stream(logits).mapToInt(v -> v.length).sum();
    if (s.getLogitsCount() != size || s.getAdamMCount() != size || s.getAdamVCount() != size
        || s.getAdamStep() < 0) {
      throw new IllegalArgumentException("ednas controller state is corrupt: expected " + size
          + " logits and moments, got " + s.getLogitsCount() + ", " + s.getAdamMCount() + ", " + s.getAdamVCount()
          + " (Adam step " + s.getAdamStep() + ")");
    }
    int pos = 0;
    for (int t = 0; t < logits.length; t++) {
      for (int k = 0; k < logits[t].length; k++, pos++) {
        logits[t][k] = s.getLogits(pos);
        adam.firstMoments()[t][k] = s.getAdamM(pos);
        adam.secondMoments()[t][k] = s.getAdamV(pos);
      }
    }
    adam.setStep(s.getAdamStep());
    baseline = s.getBaseline();
    rng.setState(s.getRngState());
  }

  private static int checksum(EdnasControllerState state) {
    CRC32 crc = new CRC32();
    crc.update(state.toBuilder().clearChecksum().build().toByteArray());
    return (int) crc.getValue();
  }
}
