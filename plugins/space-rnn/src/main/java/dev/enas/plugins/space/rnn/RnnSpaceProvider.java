package dev.enas.plugins.space.rnn;

import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;

/** The {@code enas-rnn} search space: ENAS's recurrent cell space for language models. */
public final class RnnSpaceProvider implements SearchSpaceProvider<RnnSpaceOptions> {

  @Override
  public String id() {
    return "enas-rnn";
  }

  @Override
  public RnnSpaceOptions defaultOptions() {
    return RnnSpaceOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "ENAS recurrent cell space: highway nodes, each with a previous node and one of 4 activations";
  }

  @Override
  public SearchSpace create(RnnSpaceOptions options) {
    return new RnnSpace(RnnSettings.from(options));
  }
}
