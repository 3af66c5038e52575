package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.controller.UpdateResult;
import dev.enas.api.schema.DecisionSchema;
import java.util.List;

/** A controller that always samples the all-zero architecture, for wiring tests. */
public final class FixedControllerProvider implements ControllerProvider<Empty> {
  @Override
  public String id() {
    return "fixed";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Controller create(Empty options, DecisionSchema schema, long seed) {
    return new Controller() {
      public Sample sample() {
        return new Sample(schema.fromTokens(new int[schema.tokenCount()]), 0, 0);
      }

      public UpdateResult update(List<ScoredSample> batch) {
        return new UpdateResult(0, 0, 0, 0);
      }

      public byte[] saveState() {
        return new byte[0];
      }

      public void restoreState(byte[] state) {}
    };
  }
}
