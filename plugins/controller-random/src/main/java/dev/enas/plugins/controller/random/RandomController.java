package dev.enas.plugins.controller.random;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples every token uniformly in its range. The log-probability and entropy are those of the
 * uniform policy, so logs compare directly with a learning controller's.
 */
final class RandomController implements Controller {
  private final DecisionSchema schema;
  private final long seed;
  private long draws;
  private SplittableRandom rng;

  RandomController(DecisionSchema schema, long seed) {
    this.schema = schema;
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
  }

  @Override
  public Sample sample() {
    int[] tokens = new int[schema.tokenCount()];
    double logProb = 0;
    int pos = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++, pos++) {
        int range = p.tokenRange(i);
        tokens[pos] = rng.nextInt(range);
        logProb -= Math.log(range);
      }
    }
    draws++;
    return new Sample(schema.fromTokens(tokens), logProb, -logProb);
  }

  @Override
  public UpdateResult update(List<ScoredSample> batch) {
    double mean = batch.stream().mapToDouble(ScoredSample::reward).average().orElse(0);
    double entropy = batch.stream().mapToDouble(s -> s.sample().entropy()).average().orElse(0);
    return new UpdateResult(0, mean, mean, entropy);
  }

  /** The state is the number of draws so far: replaying them from the seed restores the RNG exactly. */
  @Override
  public byte[] saveState() {
    return ByteBuffer.allocate(Long.BYTES).putLong(draws).array();
  }

  @Override
  public void restoreState(byte[] state) {
    if (state.length != Long.BYTES) {
      throw new IllegalArgumentException("random controller state must be 8 bytes, got " + state.length);
    }
    long target = ByteBuffer.wrap(state).getLong();
    rng = new SplittableRandom(seed);
    draws = 0;
    while (draws < target) {
      sample();
    }
  }
}
