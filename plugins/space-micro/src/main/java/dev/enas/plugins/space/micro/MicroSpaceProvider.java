package dev.enas.plugins.space.micro;

import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;

/** The {@code enas-micro} search space: ENAS's cell space for image classification. */
public final class MicroSpaceProvider implements SearchSpaceProvider<MicroSpaceOptions> {

  @Override
  public String id() {
    return "enas-micro";
  }

  @Override
  public MicroSpaceOptions defaultOptions() {
    return MicroSpaceOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "ENAS micro space: a normal and a reduction cell of 5 blocks, each adding two of 5 ops";
  }

  @Override
  public SearchSpace create(MicroSpaceOptions options) {
    return new MicroSpace(MicroSettings.from(options));
  }
}
