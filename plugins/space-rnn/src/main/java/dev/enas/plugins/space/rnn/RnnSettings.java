package dev.enas.plugins.space.rnn;

import static dev.enas.support.options.OptionRanges.orDefault;
import static dev.enas.support.options.OptionRanges.range;

import dev.enas.api.ir.Activation;
import dev.enas.api.plugin.OptionException;
import java.util.List;

/**
 * The recurrent space's options with the preset and the format's defaults applied, each value checked.
 *
 * @param oldFormat the old 2N-1-token format, whose node 0 has a chosen activation
 * @param lastNode index of the last node: N in the enas_lm format, N-1 in the old one
 * @param activations the activation of each id, in the format's order
 * @param dropouts the five dropout rates
 * @param lstm a plain LSTM of width {@code hidden} instead of the ENAS cell (the ENAS cell's nodes and width then
 *     only size the LSTM's default width)
 * @param activationL2 enas_lm's alpha on the cell output; 0 for none
 * @param slowness enas_lm's beta on the cell output's change between steps; 0 for none
 */
record RnnSettings(Preset preset, boolean oldFormat, int nodes, int lastNode, int hidden, int embedding, int vocab,
    boolean looseEndOutput, List<Activation> activations, boolean perInputWeights, Dropouts dropouts, boolean lstm,
    double activationL2, double slowness) {

  /** enas_lm's dropout rates (fractions dropped); see the options' comments for where each applies. */
  record Dropouts(double word, double embedding, double input, double between, double output) {
    /** enas_lm's search child ({@code child.py} defaults). */
    static final Dropouts SEARCH = new Dropouts(0.10, 0.20, 0.75, 0.25, 0.75);
    /** enas_lm's fixed training on a GPU ({@code fixed.py}). */
    static final Dropouts FINAL = new Dropouts(0.125, 0.175, 0.725, 0.225, 0.75);

    static Dropouts from(RnnSpaceOptions o, Dropouts preset) {
      return new Dropouts(
          rate("word_dropout", o.hasWordDropout() ? o.getWordDropout() : preset.word),
          rate("embedding_dropout", o.hasEmbeddingDropout() ? o.getEmbeddingDropout() : preset.embedding),
          rate("input_dropout", o.hasInputDropout() ? o.getInputDropout() : preset.input),
          rate("between_dropout", o.hasBetweenDropout() ? o.getBetweenDropout() : preset.between),
          rate("output_dropout", o.hasOutputDropout() ? o.getOutputDropout() : preset.output));
    }

    private static double rate(String option, double v) {
      if (!(v >= 0 && v < 1)) {
        throw new OptionException(option, "is the fraction dropped and must be in [0, 1), got " + v);
      }
      return v;
    }
  }

  /*
   * Upper bounds, far above the authors' (8 to 12 nodes, hidden 200 to 800, 10,000 words): they keep the cell's
   * weights (nodes x 2 x hidden^2) and the embedding inside what a tensor may hold.
   */
  static final int MAX_NODES = 64;
  static final int MAX_WIDTH = 8192;
  static final int MAX_VOCAB = 10_000_000;

  static RnnSettings from(RnnSpaceOptions o) {
    if (o.getPreset() == Preset.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-rnn option preset must be SEARCH or FINAL, got " + o.getPresetValue());
    }
    if (o.getFormat() == ArchFormat.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-rnn option format must be ENAS_LM or OLD_TF, got " + o.getFormatValue());
    }
    if (o.getWeightSharing() == WeightSharing.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-rnn option weight_sharing must be PER_INPUT or PER_SLOT, got "
          + o.getWeightSharingValue());
    }
    if (o.getCell() == CellKind.UNRECOGNIZED) {
      throw new IllegalArgumentException("enas-rnn option cell must be ENAS or LSTM, got " + o.getCellValue());
    }
    boolean lstm = o.getCell() == CellKind.LSTM;
    boolean fin = o.getPreset() == Preset.FINAL;
    boolean old = o.getFormat() == ArchFormat.OLD_TF;
    int nodes = o.hasNumNodes() ? o.getNumNodes() : old ? 12 : fin ? 8 : 9;
    int hidden = o.hasHiddenSize() ? o.getHiddenSize() : old ? (fin ? 748 : 720) : (fin ? 800 : 200);
    boolean loose = switch (o.getOutput()) {
      case ALL_NODES -> false;
      case LOOSE_ENDS -> true;
      case CELL_OUTPUT_FORMAT_DEFAULT -> old;
      default -> throw new IllegalArgumentException(
          "enas-rnn option output must be CELL_OUTPUT_FORMAT_DEFAULT, ALL_NODES or LOOSE_ENDS, got " + o.getOutputValue());
    };
    boolean sigmoidThird = switch (o.getActivationOrder()) {
      case TANH_RELU_SIGMOID_IDENTITY -> true;
      case TANH_RELU_IDENTITY_SIGMOID -> false;
      case ACTIVATION_ORDER_FORMAT_DEFAULT -> !old;
      default -> throw new IllegalArgumentException("enas-rnn option activation_order must be "
          + "ACTIVATION_ORDER_FORMAT_DEFAULT, TANH_RELU_SIGMOID_IDENTITY or TANH_RELU_IDENTITY_SIGMOID, got "
          + o.getActivationOrderValue());
    };
    range("num_nodes", nodes, 1, MAX_NODES);
    range("hidden_size", hidden, 1, MAX_WIDTH);
    if (old && !loose && nodes < 2) {
      throw new IllegalArgumentException("enas-rnn option num_nodes must be at least 2 in the OLD_TF format with "
          + "ALL_NODES output (it averages the nodes after node 0), got " + nodes);
    }
    int vocab = orDefault("vocab_size", o.getVocabSize(), 10000, MAX_VOCAB);
    int lastNode = old ? nodes - 1 : nodes;
    if (lstm) {
      if (o.hasLstmHiddenSize()) {
        range("lstm_hidden_size", o.getLstmHiddenSize(), 1, MAX_WIDTH);
        hidden = o.getLstmHiddenSize();
      } else {
        hidden = matchingLstmWidth(enasParameters(vocab, hidden, lastNode), vocab);
      }
    }
    int embedding = orDefault("embedding_size", o.getEmbeddingSize(), hidden, MAX_WIDTH);
    // The embedding (and the softmax tied to it) is one vocab x embedding tensor.
    if ((long) vocab * embedding > Integer.MAX_VALUE) {
      throw new OptionException("vocab_size", "times embedding_size (" + embedding + ") must be at most 2^31 - 1, "
          + "the values one tensor may hold: vocab_size must be in [1, " + Integer.MAX_VALUE / embedding + "], got "
          + vocab);
    }
    List<Activation> acts = sigmoidThird
        ? List.of(Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.IDENTITY)
        : List.of(Activation.TANH, Activation.RELU, Activation.IDENTITY, Activation.SIGMOID);
    return new RnnSettings(o.getPreset(), old, nodes, lastNode, hidden, embedding, vocab, loose, acts,
        o.getWeightSharing() == WeightSharing.PER_INPUT, Dropouts.from(o, fin ? Dropouts.FINAL : Dropouts.SEARCH),
        lstm, penalty("activation_l2", o.hasActivationL2() ? o.getActivationL2() : fin ? 0.7 : 0),
        penalty("slowness", o.hasSlowness() ? o.getSlowness() : fin ? 0 : 1.0));
  }

  private static double penalty(String option, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new OptionException(option, "weighs a penalty added to the training loss and must be a finite value >= 0, "
          + "got " + v);
    }
    return v;
  }

  /**
   * Trainable parameters of a derived ENAS language model with a tied softmax: the embedding (V x H), node 0's
   * W_prev (2H x 2H), each later node's W (H x 2H) and the softmax bias (V). At V = 10,000: 2.81M for H = 200 and
   * 8 nodes, 20.8M for H = 800.
   */
  static long enasParameters(int vocab, int hidden, int laterNodes) {
    long h = hidden;
    return vocab * h + 2 * h * 2 * h + laterNodes * h * 2 * h + vocab;
  }

  /** Trainable parameters of an LSTM language model with a tied softmax: V x H, W (2H x 4H), b (4H), softmax bias. */
  static long lstmParameters(int vocab, int hidden) {
    long h = hidden;
    return vocab * h + 2 * h * 4 * h + 4 * h + vocab;
  }

  /** The widest LSTM whose language model has at most {@code budget} parameters (at least 1). */
  static int matchingLstmWidth(long budget, int vocab) {
    int h = 1;
    while (h < MAX_WIDTH && lstmParameters(vocab, h + 1) <= budget) {
      h++;
    }
    return h;
  }

  /** The readable names of the activations in id order: "tanh", "ReLU", ... */
  List<String> labels() {
    return activations.stream().map(RnnSettings::label).toList();
  }

  static String label(Activation a) {
    return switch (a) {
      case TANH -> "tanh";
      case RELU -> "ReLU";
      case SIGMOID -> "sigmoid";
      case IDENTITY -> "identity";
      default -> a.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** "0 tanh, 1 ReLU, ...", for error messages. */
  String legend() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < activations.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(i).append(' ').append(label(activations.get(i)));
    }
    return b.toString();
  }
}
