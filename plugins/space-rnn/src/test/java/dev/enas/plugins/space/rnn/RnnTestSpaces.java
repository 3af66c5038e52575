package dev.enas.plugins.space.rnn;

/** Spaces and strings shared by the recurrent-space tests. */
final class RnnTestSpaces {
  private RnnTestSpaces() {}

  /** The 8-node cell published with google-research enas_lm. */
  static final String ENAS_LM_PUBLISHED = "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2";
  /** The 12-node cell of the old implementation's ptb_final.sh, the one visualised in the paper. */
  static final String OLD_PUBLISHED = "0 0 0 1 1 2 1 2 0 2 0 5 1 1 0 6 1 8 1 8 1 8 1";

  static RnnSpace space(RnnSpaceOptions options) {
    return (RnnSpace) new RnnSpaceProvider().create(options);
  }

  static RnnSpace search() {
    return space(RnnSpaceOptions.getDefaultInstance());
  }

  static RnnSpace fin() {
    return space(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).build());
  }

  static RnnSpace old() {
    return space(RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF).build());
  }

  static RnnSpace small(int nodes, RnnSpaceOptions.Builder more) {
    return space(more.setNumNodes(nodes).setHiddenSize(6).build());
  }
}
