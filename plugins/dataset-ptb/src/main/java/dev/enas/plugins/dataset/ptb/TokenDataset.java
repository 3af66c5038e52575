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
 * may carry its state from one to the next. With random lengths ({@link RandomWindows}, enas_lm's), training windows
 * vary in length around {@code steps}, a step's learning rate is scaled by length / steps, and a pass holds as many
 * windows as its lengths fit; {@link #batches} still counts windows of {@code steps}.
 */
final class TokenDataset implements Dataset {
  private final TextCorpus corpus;
  private final int steps;
  private final boolean carryState;
  private final String digest;
  /** 0: training windows of {@code steps}; else the multiple random training lengths are rounded to. */
  private final int randomMultiple;
  private final long seed;
  private final java.util.Map<Integer, RandomWindows> randomByBatchSize = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param carryState whether windows after a pass's first continue the previous one (false: none does)
   * @param randomMultiple 0 for training windows of {@code steps}; else random lengths (enas_lm's) rounded to a
   *     multiple of it
   * @param seed what random lengths are drawn from
   */
  TokenDataset(TextCorpus corpus, int steps, boolean carryState, String digest, int randomMultiple, long seed) {
    this.corpus = corpus;
    this.steps = steps;
    this.carryState = carryState;
    this.digest = digest;
    this.randomMultiple = randomMultiple;
    this.seed = seed;
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
    int start;
    int length;
    boolean first;
    if (split == Split.TRAIN && randomMultiple > 0) {
      RandomWindows.Window w = randomByBatchSize.computeIfAbsent(batchSize,
          size -> new RandomWindows(seed, steps, randomMultiple, row)).at(index);
      start = w.start();
      length = w.length();
      first = w.first();
    } else {
      long window = index % ((row - 1) / steps);
      start = (int) window * steps;
      length = steps;
      first = window == 0;
    }
    int[] inputs = new int[batchSize * length];
    int[] targets = new int[batchSize * length];
    for (int r = 0; r < batchSize; r++) {
      System.arraycopy(data, r * row + start, inputs, r * length, length);
      System.arraycopy(data, r * row + start + 1, targets, r * length, length);
    }
    return new Batch.Tokens(batchSize, length, inputs, targets, carryState && !first, null);
  }

  /** A window's length over the nominal {@code steps}: 1 but for random lengths, as enas_lm scales its rate. */
  @Override
  public double learningRateScale(Batch batch) {
    return batch instanceof Batch.Tokens t ? (double) t.steps() / steps : 1;
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
