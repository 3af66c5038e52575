package dev.enas.plugins.controller.random;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.schema.DecisionSchema;

/** The {@code random} controller: uniform sampling, kept so that runs compare side by side with the paper's baseline. */
public final class RandomControllerProvider implements ControllerProvider<RandomControllerOptions> {

  @Override
  public String id() {
    return "random";
  }

  @Override
  public RandomControllerOptions defaultOptions() {
    return RandomControllerOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "uniform random search (the paper's baseline)";
  }

  @Override
  public Controller create(RandomControllerOptions options, DecisionSchema schema, long seed) {
    return new RandomController(schema, seed);
  }
}
