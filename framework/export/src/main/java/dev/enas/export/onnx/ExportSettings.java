package dev.enas.export.onnx;

import java.util.Map;

/**
 * How a child is exported.
 *
 * @param bnEpsilon batch norm's epsilon, the backend's {@code bn_epsilon} the model was trained with
 * @param batchNorm which statistics batch norm normalises with: the moving averages (inference) or, as a backend
 *     with {@code bn_eval: BATCH_STATISTICS} evaluates, each batch's own
 * @param sequenceLength the steps a language model is unrolled over (its {@code tokens} input is [batch, steps]);
 *     ignored for image classifiers
 * @param metadata key-value pairs stored in the model (provenance: space, architecture, source files)
 */
public record ExportSettings(double bnEpsilon, BatchNormMode batchNorm, int sequenceLength,
    Map<String, String> metadata) {

  /** Both backends' default {@code bn_epsilon}. */
  public static final double DEFAULT_BN_EPSILON = 1e-5;

  /** 35, the authors' BPTT length for Penn Treebank. */
  public static final int DEFAULT_SEQUENCE_LENGTH = 35;

  /** Which statistics an exported batch norm normalises with. */
  public enum BatchNormMode { MOVING_AVERAGES, BATCH_STATISTICS }

  public ExportSettings {
    if (!(bnEpsilon > 0) || Double.isInfinite(bnEpsilon)) {
      throw new IllegalArgumentException("batch-norm epsilon must be a finite value > 0, got " + bnEpsilon);
    }
    if (sequenceLength < 1) {
      throw new IllegalArgumentException("the sequence length must be at least 1, got " + sequenceLength);
    }
    java.util.Objects.requireNonNull(batchNorm, "batchNorm");
    metadata = Map.copyOf(metadata);
  }

  /** Moving averages, epsilon 1e-5 (both backends' default), 35 steps, no metadata. */
  public static ExportSettings defaults() {
    return new ExportSettings(DEFAULT_BN_EPSILON, BatchNormMode.MOVING_AVERAGES, DEFAULT_SEQUENCE_LENGTH, Map.of());
  }

  public ExportSettings withSequenceLength(int steps) {
    return new ExportSettings(bnEpsilon, batchNorm, steps, metadata);
  }

  public ExportSettings withBatchNorm(BatchNormMode mode) {
    return new ExportSettings(bnEpsilon, mode, sequenceLength, metadata);
  }

  public ExportSettings withMetadata(Map<String, String> m) {
    return new ExportSettings(bnEpsilon, batchNorm, sequenceLength, m);
  }
}
