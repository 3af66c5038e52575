package dev.enas.plugins.controller.reinforce;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.schema.DecisionSchema;

/**
 * The {@code reinforce} controller: the ENAS LSTM controller (op embeddings for layer choices,
 * attention over anchors for input choices) trained by REINFORCE, with the paper's and the
 * authors' per-space settings as presets.
 */
public final class ReinforceControllerProvider implements ControllerProvider<ReinforceControllerOptions> {

  @Override
  public String id() {
    return "reinforce";
  }

  @Override
  public ReinforceControllerOptions defaultOptions() {
    return ReinforceControllerOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "ENAS LSTM controller trained by REINFORCE (presets: PAPER, MACRO_CODE, MICRO_CODE, LM_CODE)";
  }

  @Override
  public Controller create(ReinforceControllerOptions options, DecisionSchema schema, long seed) {
    return new ReinforceController(ReinforceSettings.resolve(options), schema, seed);
  }
}
