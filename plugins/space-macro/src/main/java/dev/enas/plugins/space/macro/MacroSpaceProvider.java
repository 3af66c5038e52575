package dev.enas.plugins.space.macro;

import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;

/** The {@code enas-macro} search space: ENAS's macro (whole-network) space for image classification. */
public final class MacroSpaceProvider implements SearchSpaceProvider<MacroSpaceOptions> {

  @Override
  public String id() {
    return "enas-macro";
  }

  @Override
  public MacroSpaceOptions defaultOptions() {
    return MacroSpaceOptions.getDefaultInstance();
  }

  @Override
  public String summary() {
    return "ENAS macro space: a chain of layers, each with one of 6 ops and any skip connections";
  }

  @Override
  public SearchSpace create(MacroSpaceOptions options) {
    return new MacroSpace(MacroSettings.from(options));
  }
}
