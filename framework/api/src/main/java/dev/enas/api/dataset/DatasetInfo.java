package dev.enas.api.dataset;

import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.TaskKind;

/**
 * What a run needs to know of a dataset before reading it: the task, the shape of one example, the classes (or
 * vocabulary) and the size of each split. {@link DatasetProvider#describe} answers it from file headers, so that
 * {@code enas validate} can check a config against the data without loading it; every {@link Dataset} is one too.
 */
public interface DatasetInfo {

  TaskKind task();

  /** Shape of one example: {@code [H, W, C]} for images, {@code [1]} for a token. */
  TensorShape exampleShape();

  /** Number of classes, or the vocabulary size for language models. */
  int classes();

  /** Number of examples (or tokens) in a split. */
  long size(Split split);

  /**
   * The largest batch this split can give; a batch size option above it is refused before the run starts. This
   * default is the most examples whose values fit one Java array (2^31 - 1 floats) and at least one example, so
   * an empty split gives 0. A language-model dataset, whose batches cut the split into one row per sequence,
   * overrides it.
   */
  default long maxBatchSize(Split split) {
    if (size(split) == 0) {
      return 0;
    }
    return Math.max(1, Integer.MAX_VALUE / Math.max(1, exampleShape().size()));
  }
}
