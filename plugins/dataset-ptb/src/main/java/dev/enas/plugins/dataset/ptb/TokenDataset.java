package dev.enas.plugins.dataset.ptb;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.TaskKind;

/**
 * Token batches as the authors' language models read them: a split's token stream is cut into {@code size} rows of
 * equal length (one per sequence of the batch, the tail dropped), and batch {@code i} is the {@code i}-th window of
 * {@code steps} tokens of every row, its targets the tokens one further on; after the last window the split starts
 * over. Batches depend only on (split, index, size), so a resumed run reads the same ones; there is no augmentation.
 * Every window but a pass's first {@linkplain Batch.Tokens#continues continues} the previous one row by row, so a model
 * may carry its state from one to the next.
 */
final class TokenDataset implements Dataset {
  private final TextCorpus corpus;
  private final int steps;
  private final boolean carryState;
  private final String digest;

  /** @param carryState whether windows after a pass's first continue the previous one (false: none does) */
  TokenDataset(TextCorpus corpus, int steps, boolean carryState, String digest) {
    this.corpus = corpus;
    this.steps = steps;
    this.carryState = carryState;
    this.digest = digest;
  }

  @Override
  public TaskKind task() {
    return TaskKind.LANGUAGE_MODEL;
  }

  @Override
  public TensorShape exampleShape() {
    return TensorShape.of(1);
  }

  @Override
  public int classes() {
    return corpus.vocabulary().size();
  }

  @Override
  public long size(Split split) {
    return tokens(split).length;
  }

  /** Windows of {@code steps} tokens per row when the split is cut into {@code batchSize} rows (at least 1). */
  @Override
  public long batches(Split split, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    return Math.max(1, (tokens(split).length / batchSize - 1) / steps);
  }

  /** As many sequences as leave each its {@code steps} tokens and the target after them: tokens / (steps + 1). */
  @Override
  public long maxBatchSize(Split split) {
    return tokens(split).length / (steps + 1L);
  }

  /** Tokens per sequence. */
  int steps() {
    return steps;
  }

  @Override
  public Batch.Tokens batch(Split split, long index, int batchSize, boolean augment) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (index < 0) {
      throw new IllegalArgumentException("batch index must be >= 0, got " + index);
    }
    int[] data = tokens(split);
    int row = data.length / batchSize;
    if (row < steps + 1) {
      throw new IllegalArgumentException("the " + split.name().toLowerCase(java.util.Locale.ROOT) + " split has "
          + data.length + " tokens: too few for " + batchSize + " sequences of " + steps + " steps (+1 for the "
          + "targets); lower the batch size or the dataset's `steps`");
    }
    long window = index % ((row - 1) / steps);
    int start = (int) window * steps;
    int[] inputs = new int[batchSize * steps];
    int[] targets = new int[batchSize * steps];
    for (int r = 0; r < batchSize; r++) {
      System.arraycopy(data, r * row + start, inputs, r * steps, steps);
      System.arraycopy(data, r * row + start + 1, targets, r * steps, steps);
    }
    return new Batch.Tokens(batchSize, steps, inputs, targets, carryState && window > 0, null);
  }

  @Override
  public String digest() {
    return digest;
  }

  String word(int id) {
    return corpus.vocabulary().get(id);
  }

  private int[] tokens(Split split) {
    return switch (split) {
      case TRAIN -> corpus.train();
      case VALID -> corpus.valid();
      case TEST -> corpus.test();
    };
  }
}
