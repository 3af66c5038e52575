package dev.enas.plugins.controller.reinforce;

import dev.enas.support.policy.ScoredBatches;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.support.optim.Adam;
import dev.enas.support.random.SplitMix64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The ENAS controller: an LSTM policy over a decision schema ({@link PolicyNetwork}), trained by
 * REINFORCE with a moving-average baseline, an entropy bonus (in the reward, as the paper, or in
 * the loss), a KL penalty that pulls skip probabilities to a target, and Adam.
 */
final class ReinforceController implements Controller {
  private final DecisionSchema schema;
  private final ReinforceSettings settings;
  private final SchemaPlan plan;
  private final int choiceEmbeddings;
  final PolicyParameters params;
  private final PolicyParameters grads;
  private final PolicyNetwork network;
  private final Adam adam;
  private final Rollout rollout;
  private final SplitMix64 rng;
  private double baseline;

  ReinforceController(ReinforceSettings settings, DecisionSchema schema, long seed) {
    this.schema = schema;
    this.settings = settings;
    this.plan = new SchemaPlan(schema);
    this.choiceEmbeddings = settings.choiceEmbedding() ? plan.points.size() : 0;
    this.params = new PolicyParameters(settings.hiddenSize(), plan.groups, plan.groupSizes, choiceEmbeddings);
    this.grads = new PolicyParameters(settings.hiddenSize(), plan.groups, plan.groupSizes, choiceEmbeddings);
    double[][] biasInit = new double[plan.groups.size()][];
    settings.opBiasInit().forEach((group, values) -> {
      int g = plan.groupIndex(group);
      if (g < 0) {
        throw new IllegalArgumentException("reinforce option op_bias names group '" + group
            + "', but the schema's layer groups are " + plan.groups);
      }
      if (values.length != plan.groupSizes[g]) {
        throw new IllegalArgumentException("reinforce option op_bias for group '" + group + "' has "
            + values.length + " values, but the group has " + plan.groupSizes[g] + " ops");
      }
      biasInit[g] = values;
    });
    SplitMix64 init = new SplitMix64(seed);
    params.initialise(settings.initRange(), init, biasInit);
    this.rng = new SplitMix64(init.nextLong());
    this.network = new PolicyNetwork(plan, settings, params);
    this.adam = new Adam(settings.learningRate(), settings.adamBeta1(), settings.adamBeta2(), settings.adamEpsilon(),
        params.tensors());
    this.rollout = network.newRollout();
  }

  @Override
  public Sample sample() {
    network.forward(rollout, rng, null);
    return new Sample(schema.fromTokens(rollout.tokens.clone()), rollout.logProb, rollout.entropy);
  }

  /**
   * One REINFORCE step over the batch. Each sample is re-run through the network with its own
   * decisions (teacher forcing); in batch order, its reward (plus the entropy bonus when that goes
   * into the reward) first updates the baseline, as the authors' code does, and its advantage over
   * the updated baseline then weights -log p(sample). The loss, averaged over the batch, also holds
   * the skip penalty and, in ENTROPY_IN_LOSS mode, minus the weighted entropy.
   */
  @Override
  public UpdateResult update(List<ScoredSample> batch) {
    if (batch.isEmpty()) {
      return new UpdateResult(0, baseline, 0, 0);
    }
    ScoredBatches.requireValid(batch, schema, "reinforce");
    int n = batch.size();
    double skipCoef = skipCoefficient();
    double decay = settings.baselineDecay();
    double rewardEntropyWeight = settings.entropyInLoss() ? 0 : settings.entropyWeight();
    double lossEntropyWeight = settings.entropyInLoss() ? settings.entropyWeight() : 0;
    double lossSum = 0;
    double rewardSum = 0;
    double entropySum = 0;
    grads.clear();
    for (ScoredSample scored : batch) {
      network.forward(rollout, null, scored.sample().architecture().tokens());
      double reward = scored.reward() + rewardEntropyWeight * rollout.entropy;
      baseline -= (1 - decay) * (baseline - reward);
      double advantage = reward - baseline;
      lossSum += -advantage * rollout.logProb + skipCoef * rollout.skipKl - lossEntropyWeight * rollout.entropy;
      rewardSum += scored.reward();
      entropySum += rollout.entropy;
      network.backward(rollout, advantage / n, skipCoef / n, lossEntropyWeight / n, grads);
    }
    adam.apply(params.tensors(), grads.tensors());
    network.parametersChanged();
    return new UpdateResult(lossSum / n, baseline, rewardSum / n, entropySum / n);
  }

  /** Skip KL weight per multi input choice: the penalty is averaged over them. */
  private double skipCoefficient() {
    return plan.multiCount == 0 ? 0 : settings.skipWeight() / plan.multiCount;
  }

  // ---------------------------------------------------------------- gradient-check hooks

  /** log p(tokens) under the current policy, by teacher forcing. */
  double logProb(int[] tokens) {
    network.parametersChanged();
    network.forward(rollout, null, tokens);
    return rollout.logProb;
  }

  /** The batch loss for fixed advantages: mean of -advantage * log p(tokens) + skip penalty (- entropy bonus). */
  double loss(List<int[]> tokens, double[] advantages) {
    network.parametersChanged();
    double skipCoef = skipCoefficient();
    double entropyCoef = settings.entropyInLoss() ? settings.entropyWeight() : 0;
    double sum = 0;
    for (int i = 0; i < tokens.size(); i++) {
      network.forward(rollout, null, tokens.get(i));
      sum += -advantages[i] * rollout.logProb + skipCoef * rollout.skipKl - entropyCoef * rollout.entropy;
    }
    return sum / tokens.size();
  }

  /** The gradient of {@link #loss} with respect to {@link #params}, by back-propagation. */
  PolicyParameters gradient(List<int[]> tokens, double[] advantages) {
    network.parametersChanged();
    PolicyParameters g = new PolicyParameters(settings.hiddenSize(), plan.groups, plan.groupSizes, choiceEmbeddings);
    double skipCoef = skipCoefficient();
    double entropyCoef = settings.entropyInLoss() ? settings.entropyWeight() : 0;
    int n = tokens.size();
    for (int i = 0; i < n; i++) {
      network.forward(rollout, null, tokens.get(i));
      network.backward(rollout, advantages[i] / n, skipCoef / n, entropyCoef / n, g);
    }
    return g;
  }

  double baseline() {
    return baseline;
  }

  // ---------------------------------------------------------------- state

  private String layout() {
    return "hidden " + settings.hiddenSize() + "; " + params.layout() + "; schema " + plan.digest();
  }

  @Override
  public byte[] saveState() {
    ReinforceControllerState.Builder b = ReinforceControllerState.newBuilder()
        .setLayout(layout())
        .setAdamStep(adam.step())
        .setBaseline(baseline)
        .setRngState(rng.state());
    for (double w : params.flatten()) {
      b.addWeights(w);
    }
    for (double[] t : adam.firstMoments()) {
      for (double w : t) {
        b.addAdamM(w);
      }
    }
    for (double[] t : adam.secondMoments()) {
      for (double w : t) {
        b.addAdamV(w);
      }
    }
    return b.setChecksum(checksum(b.build())).build().toByteArray();
  }

  @Override
  public void restoreState(byte[] state) {
    ReinforceControllerState s;
    try {
      s = ReinforceControllerState.parseFrom(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("reinforce controller state is corrupt: " + e.getMessage(), e);
    }
    if (s.getChecksum() != checksum(s.toBuilder().clearChecksum().build())) {
      throw new IllegalArgumentException("reinforce controller state is corrupt: checksum mismatch");
    }
    if (!s.getLayout().equals(layout())) {
      throw new IllegalArgumentException("reinforce controller state was saved for layout [" + s.getLayout()
          + "], this controller has [" + layout() + "]");
    }
    int size = params.size();
    if (s.getWeightsCount() != size || s.getAdamMCount() != size || s.getAdamVCount() != size
        || s.getAdamStep() < 0) {
      throw new IllegalArgumentException("reinforce controller state is corrupt: expected " + size
          + " weights and moments, got " + s.getWeightsCount() + ", " + s.getAdamMCount() + ", "
          + s.getAdamVCount() + " (Adam step " + s.getAdamStep() + ")");
    }
    int pos = 0;
    for (int t = 0; t < params.tensors().size(); t++) {
      double[] w = params.tensors().get(t);
      for (int i = 0; i < w.length; i++, pos++) {
        w[i] = s.getWeights(pos);
        adam.firstMoments()[t][i] = s.getAdamM(pos);
        adam.secondMoments()[t][i] = s.getAdamV(pos);
      }
    }
    adam.setStep(s.getAdamStep());
    baseline = s.getBaseline();
    rng.setState(s.getRngState());
    network.parametersChanged();
  }

  private static int checksum(ReinforceControllerState unsummed) {
    CRC32 crc = new CRC32();
    crc.update(unsummed.toBuilder().clearChecksum().build().toByteArray());
    return (int) crc.getValue();
  }
}
