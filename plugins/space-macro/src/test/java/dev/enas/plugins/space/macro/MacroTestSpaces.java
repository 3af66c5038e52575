package dev.enas.plugins.space.macro;

/** Spaces and strings shared by the macro tests. */
final class MacroTestSpaces {
  private MacroTestSpaces() {}

  /** The 24-layer architecture of the authors' cifar10_macro_final.sh, one row per layer. */
  static final String PUBLISHED_24_LAYERS = String.join(" ",
      "0",
      "3 0",
      "0 1 0",
      "2 0 0 1",
      "2 0 0 0 0",
      "3 1 1 0 1 0",
      "2 0 0 0 0 0 1",
      "2 0 1 1 0 1 1 1",
      "1 0 1 1 1 0 1 0 1",
      "0 0 0 0 0 0 0 0 0 0",
      "2 0 0 0 0 0 1 0 0 0 0",
      "0 1 0 0 1 1 0 0 0 0 1 1",
      "2 0 1 0 0 0 0 0 1 0 1 1 0",
      "1 0 0 1 0 0 0 1 1 1 0 1 0 1",
      "0 1 1 0 1 0 1 0 0 0 0 0 1 0 0",
      "2 0 0 1 0 0 0 0 0 0 0 1 0 1 0 1",
      "2 0 1 0 0 0 1 0 0 1 1 1 1 0 0 1 0",
      "2 0 0 0 0 1 0 1 0 1 0 0 1 0 1 0 0 1",
      "3 0 1 1 0 1 0 0 0 0 0 1 0 1 0 1 0 0 0",
      "3 0 1 1 0 0 0 0 0 0 0 0 0 1 1 0 0 0 0 1",
      "0 1 0 0 1 0 1 1 0 0 0 1 0 0 0 0 0 1 1 0 0",
      "3 0 1 0 1 1 0 0 1 0 1 1 0 1 1 0 1 0 0 1 0 0",
      "0 1 0 1 0 1 0 0 0 0 0 0 0 0 1 0 1 0 0 1 0 0 0",
      "0 1 1 0 0 0 1 1 1 0 1 0 0 0 1 0 1 0 0 1 1 0 0 0");

  static MacroSpace space(MacroSpaceOptions options) {
    return (MacroSpace) new MacroSpaceProvider().create(options);
  }

  static MacroSpace search() {
    return space(MacroSpaceOptions.getDefaultInstance());
  }

  static MacroSpace fin() {
    return space(MacroSpaceOptions.newBuilder().setPreset(Preset.FINAL).build());
  }

  static MacroSpace layers(int n) {
    return space(MacroSpaceOptions.newBuilder().setNumLayers(n).setChannels(8).build());
  }
}
