package dev.enas.api.dataset;

import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.TaskKind;

/**
 * Records, splits, batching and augmentation of one dataset. Batches are addressed by number, so a
 * resumed run reads exactly the batches an uninterrupted one would; the order comes from the seed.
 */
public interface Dataset extends DatasetInfo {

  @Override
  TaskKind task();

  /** Shape of one example: {@code [H, W, C]} for images. */
  @Override
  TensorShape exampleShape();

  /** Number of classes, or the vocabulary size for language models. */
  @Override
  int classes();

  /** Number of examples (or tokens) in a split. */
  @Override
  long size(Split split);

  /**
   * The {@code index}-th batch of a split: batches walk through a fresh seeded permutation each pass.
   *
   * @param augment apply the configured training augmentation
   */
  Batch batch(Split split, long index, int batchSize, boolean augment);

  /**
   * Batches of {@code batchSize} in one pass over a split (at least 1): the number of examples over the batch size,
   * the last batch partial. A language-model dataset, whose batches are windows of several tokens per sequence,
   * overrides it.
   */
  default long batches(Split split, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    return Math.max(1, (size(split) + batchSize - 1) / batchSize);
  }

  /**
   * What a training step on this batch multiplies its learning rate by: 1 unless the dataset's batches vary in size. A
   * language-model dataset with random window lengths (enas_lm's) returns the window's length over the nominal one,
   * so that a short window moves the weights less, as enas_lm scales its rate.
   */
  default double learningRateScale(Batch batch) {
    return 1;
  }

  /** sha256 over the files read, for provenance. */
  String digest();
}
