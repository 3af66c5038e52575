package dev.enas.plugins.space.micro;

import static dev.enas.support.options.OptionRanges.orDefault;
import static dev.enas.support.options.OptionRanges.range;

import dev.enas.api.ir.TensorShape;

/**
 * The micro space's options with the preset applied to every unset field, each value checked.
 *
 * @param blocks B, blocks per cell
 * @param cells N, normal cells per stage
 * @param fixedForm the authors' fixed network rather than their search supernet
 * @param perInputWeights one weight set per input index rather than per slot
 * @param inputsCanBeLooseEnds whether an unused cell input joins the cell output
 * @param auxHead whether the network has the auxiliary classifier after the second reduction
 * @param dropPathKeepProb the drop-path keep probability p; 1 means no drop-path
 */
record MicroSettings(Preset preset, int blocks, int cells, int channels, boolean fixedForm, boolean perInputWeights,
    boolean inputsCanBeLooseEnds, double dropoutRate, int classes, TensorShape image, boolean auxHead,
    double dropPathKeepProb) {

  /*
   * Upper bounds, far above the paper's (B = 5, N <= 6, C <= 36): they keep every channel count the supernet
   * computes (up to (B + 2) * 4C after two reductions) and its node count (O(N B^2)) well inside an int and memory;
   * the host still checks every parameter tensor's size in 64 bits.
   */
  static final int MAX_BLOCKS = 16;
  static final int MAX_CELLS = 32;
  static final int MAX_CHANNELS = 4096;
  static final int MAX_IMAGE_SIDE = 16384;
  static final int MAX_CLASSES = 1_000_000;

  /** The auxiliary head's loss weight (the paper's 0.4). */
  static final double AUX_LOSS_WEIGHT = 0.4;

  static MicroSettings from(MicroSpaceOptions o) {
    if (o.getPreset() == Preset.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-micro option preset must be SEARCH or FINAL, got " + o.getPresetValue());
    }
    boolean fin = o.getPreset() == Preset.FINAL;
    boolean fixed = switch (o.getForm()) {
      case SEARCH_FORM -> false;
      case FIXED_FORM -> true;
      case CELL_FORM_PRESET -> fin;
      default -> throw new IllegalArgumentException(
          "enas-micro option form must be CELL_FORM_PRESET, SEARCH_FORM or FIXED_FORM, got " + o.getFormValue());
    };
    if (o.getWeightSharing() == WeightSharing.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-micro option weight_sharing must be PER_INPUT or PER_SLOT, got "
          + o.getWeightSharingValue());
    }
    int blocks = o.hasNumBlocks() ? o.getNumBlocks() : 5;
    int cells = o.hasNumCells() ? o.getNumCells() : fin ? 5 : 2;
    int channels = o.hasChannels() ? o.getChannels() : fin ? 36 : 20;
    double dropout = o.hasDropoutRate() ? o.getDropoutRate() : fin ? 0.2 : 0.1;
    boolean aux = o.hasAuxHead() ? o.getAuxHead() : fin;
    double keep = o.hasDropPathKeepProb() ? o.getDropPathKeepProb() : fin ? 0.6 : 1.0;
    range("num_blocks", blocks, 1, MAX_BLOCKS);
    range("num_cells", cells, 1, MAX_CELLS);
    range("channels", channels, 1, MAX_CHANNELS);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("enas-micro option dropout_rate must be in [0, 1), got " + dropout);
    }
    if (!(keep > 0 && keep <= 1)) {
      throw new IllegalArgumentException("enas-micro option drop_path_keep_prob must be in (0, 1] (1 turns drop-path "
          + "off), got " + keep);
    }
    TensorShape image = TensorShape.of(orDefault("image_height", o.getImageHeight(), 32, MAX_IMAGE_SIDE),
        orDefault("image_width", o.getImageWidth(), 32, MAX_IMAGE_SIDE),
        orDefault("image_channels", o.getImageChannels(), 3, MAX_IMAGE_SIDE));
    return new MicroSettings(o.getPreset(), blocks, cells, channels, fixed,
        o.getWeightSharing() == WeightSharing.PER_INPUT, !o.getOnlyBlocksAreLooseEnds(), dropout,
        orDefault("num_classes", o.getNumClasses(), 10, MAX_CLASSES), image, aux, keep);
  }

  /**
   * The drop-path rate at full progress in network cell k: ((k+1)/(L+2))(1-p) with L = 3N normal cells, so deeper
   * cells drop more (reference §2); 0 when drop-path is off.
   */
  double maxDropRate(int k) {
    return (k + 1) / (double) (3 * cells + 2) * (1 - dropPathKeepProb);
  }

  /** The cell whose output feeds the auxiliary head: the first after the second reduction (2N+2). */
  int auxHeadCell() {
    return 2 * cells + 2;
  }

  /** The first node that can be a loose end: 0 when unused cell inputs count, 2 when only blocks do. */
  int firstLooseEnd() {
    return inputsCanBeLooseEnds ? 0 : 2;
  }

  /** Whether network cell k (0-based, over 3N normal and 2 reduction cells) is a reduction cell: k = N or 2N + 1. */
  boolean isReduction(int k) {
    return k == cells || k == 2 * cells + 1;
  }
}
