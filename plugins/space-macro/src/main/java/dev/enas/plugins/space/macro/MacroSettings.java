package dev.enas.plugins.space.macro;

import static dev.enas.support.options.OptionRanges.orDefault;
import static dev.enas.support.options.OptionRanges.range;

import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.OptionException;
import java.util.List;

/**
 * The macro space's options with the preset applied to every unset field, each value checked.
 *
 * @param reductionLayers 0-based layers after which every kept output is factorized-reduced
 */
record MacroSettings(Preset preset, int layers, int channels, boolean doubleChannels, boolean concatSkips,
    boolean preactivation, boolean separableAsRegular, double dropoutRate, int classes, TensorShape image,
    List<Integer> reductionLayers) {

  /*
   * Upper bounds, far above the paper's (12 or 24 layers, 36 or 96 channels): they keep every channel count the
   * supernet computes (concatenated skips of up to L layers, doubled at reductions) inside an int and its node
   * count (O(L^2) skip edges) inside memory; the host still checks every parameter tensor's size in 64 bits.
   */
  static final int MAX_LAYERS = 64;
  static final int MAX_CHANNELS = 4096;
  static final int MAX_IMAGE_SIDE = 16384;
  static final int MAX_CLASSES = 1_000_000;

  static MacroSettings from(MacroSpaceOptions o) {
    if (o.getPreset() == Preset.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-macro option preset must be SEARCH or FINAL, got " + o.getPresetValue());
    }
    boolean fin = o.getPreset() == Preset.FINAL;
    int layers = o.hasNumLayers() ? o.getNumLayers() : fin ? 24 : 12;
    int channels = o.hasChannels() ? o.getChannels() : fin ? 96 : 36;
    boolean concat = switch (o.getSkipCombine()) {
      case SUM -> false;
      case CONCAT -> true;
      case SKIP_COMBINE_PRESET -> fin;
      default -> throw new IllegalArgumentException(
          "enas-macro option skip_combine must be SKIP_COMBINE_PRESET, SUM or CONCAT, got " + o.getSkipCombineValue());
    };
    double dropout = o.hasDropoutRate() ? o.getDropoutRate() : fin ? 0.5 : 0.1;
    range("num_layers", layers, 1, MAX_LAYERS);
    range("channels", channels, 2, MAX_CHANNELS);
    if (channels % 2 != 0) {
      throw new OptionException("channels", "must be even (factorized reduction halves them), got " + channels);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("enas-macro option dropout_rate must be in [0, 1), got " + dropout);
    }
    int classes = orDefault("num_classes", o.getNumClasses(), 10, MAX_CLASSES);
    TensorShape image = TensorShape.of(orDefault("image_height", o.getImageHeight(), 32, MAX_IMAGE_SIDE),
        orDefault("image_width", o.getImageWidth(), 32, MAX_IMAGE_SIDE),
        orDefault("image_channels", o.getImageChannels(), 3, MAX_IMAGE_SIDE));
    // pool_distance = L / 3; the authors reduce after layers pool_distance - 1 and 2 pool_distance - 1 (none when L < 3).
    int distance = layers / 3;
    List<Integer> reductions = distance == 0 ? List.of() : List.of(distance - 1, 2 * distance - 1);
    return new MacroSettings(o.getPreset(), layers, channels,
        o.hasDoubleChannelsAtReduction() ? o.getDoubleChannelsAtReduction() : fin, concat,
        o.hasPreactivation() ? o.getPreactivation() : fin, o.getSeparableAsRegular(), dropout, classes, image,
        reductions);
  }
}
