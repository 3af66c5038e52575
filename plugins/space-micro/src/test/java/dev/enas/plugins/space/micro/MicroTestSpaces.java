package dev.enas.plugins.space.micro;

/** Spaces and strings shared by the micro tests. */
final class MicroTestSpaces {
  private MicroTestSpaces() {}

  /** The normal cell of the authors' cifar10_micro_final.sh. */
  static final String PUBLISHED_NORMAL = "0 2 0 0  0 4 0 1  0 4 1 1  1 0 0 1  0 2 1 1";
  /** Its reduction cell. */
  static final String PUBLISHED_REDUCE = "1 0 1 0  0 3 0 2  1 1 3 1  1 0 0 4  0 3 1 1";
  static final String PUBLISHED = PUBLISHED_NORMAL + "  " + PUBLISHED_REDUCE;

  static MicroSpace space(MicroSpaceOptions options) {
    return (MicroSpace) new MicroSpaceProvider().create(options);
  }

  static MicroSpace search() {
    return space(MicroSpaceOptions.getDefaultInstance());
  }

  static MicroSpace fin() {
    return space(MicroSpaceOptions.newBuilder().setPreset(Preset.FINAL).build());
  }

  /** A small network for fast tests: B blocks, one normal cell per stage, 4 channels. */
  static MicroSpace small(int blocks, MicroSpaceOptions.Builder more) {
    return space(more.setNumBlocks(blocks).setNumCells(1).setChannels(4).build());
  }
}
