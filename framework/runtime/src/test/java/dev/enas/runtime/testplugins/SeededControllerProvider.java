package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.schema.DecisionSchema;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/** A seeded controller with state: uniform samples plus a running baseline, both saved and restored. */
public final class SeededControllerProvider implements ControllerProvider<Empty> {
  @Override
  public String id() {
    return "seeded";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Controller create(Empty options, DecisionSchema schema, long seed) {
    return new Controller() {
      long draws;
      double baseline;
      SplittableRandom rng = new SplittableRandom(seed);

      public Sample sample() {
        int[] t = new int[schema.tokenCount()];
        int pos = 0;
        for (var p : schema.points()) {
          for (int i = 0; i < p.arity(); i++) {
            t[pos++] = rng.nextInt(p.tokenRange(i));
          }
        }
        draws++;
        return new Sample(schema.fromTokens(t), 0, 0);
      }

      public UpdateResult update(List<ScoredSample> batch) {
        double mean = batch.stream().mapToDouble(ScoredSample::reward).average().orElse(0);
        baseline = 0.9 * baseline + 0.1 * mean;
        return new UpdateResult(0, baseline, mean, 0);
      }

      public byte[] saveState() {
        return ByteBuffer.allocate(16).putLong(draws).putDouble(baseline).array();
      }

      public void restoreState(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state);
        long target = b.getLong();
        baseline = b.getDouble();
        rng = new SplittableRandom(seed);
        draws = 0;
        while (draws < target) {
          sample();
        }
      }
    };
  }
}
