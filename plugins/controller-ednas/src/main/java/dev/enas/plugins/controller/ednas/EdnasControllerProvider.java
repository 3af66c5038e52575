package dev.enas.plugins.controller.ednas;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.schema.DecisionSchema;

/**
 * The {@code ednas} controller: EDNAS policy vectors, one independent softmax per choice for
 * structure (input choices) and operations (layer choices), trained by REINFORCE.
 */
public final class EdnasControllerProvider implements ControllerProvider<EdnasControllerOptions> {

  @Override
  public String id() {
    return "ednas";
  }

  @Override
  public EdnasControllerOptions defaultOptions() {
    return EdnasControllerOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "EDNAS policy vectors: independent softmax per choice, trained by REINFORCE";
  }

  @Override
  public Controller create(EdnasControllerOptions options, DecisionSchema schema, long seed) {
    return new EdnasController(EdnasSettings.resolve(options), schema, seed);
  }
}
