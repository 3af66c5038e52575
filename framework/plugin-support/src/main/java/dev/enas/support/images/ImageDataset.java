package dev.enas.support.images;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.OptionException;
import dev.enas.api.space.TaskKind;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An image classification dataset over decoded records: the validation split is a seeded hold-out
 * from the training records, and every batch is a pure function of (seed, split, index).
 */
public final class ImageDataset implements Dataset {
  private final ImageRecords train;
  private final ImageRecords test;
  private final int classes;
  private final long seed;
  private final TensorShape shape;
  private final String digest;
  private final Map<Split, BatchOrder> orders = new EnumMap<>(Split.class);
  private final ImageAugmenter augmenter;

  /**
   * @param normalization the given normalisation, or null to measure it on the training split
   */
  public ImageDataset(ImageRecords train, ImageRecords test, int classes, int validSize, long seed,
      ImageAugmenter.Settings augmentation, Normalization normalization, String digest) {
    checkValidSize(validSize, train.count());
    if (train.height() != test.height() || train.width() != test.width() || train.channels() != test.channels()) {
      throw new IllegalArgumentException("training images are " + dims(train) + " but test images are " + dims(test));
    }
    checkAugmentation(augmentation, TensorShape.of(train.height(), train.width(), train.channels()));
    this.train = train;
    this.test = test;
    this.classes = classes;
    this.seed = seed;
    this.shape = TensorShape.of(train.height(), train.width(), train.channels());
    this.digest = digest;
    int[][] parts = holdOut(train.count(), validSize, seed);
    orders.put(Split.TRAIN, new BatchOrder(parts[0], Seeds.mix(seed, Seeds.ORDER, Split.TRAIN.ordinal()), false));
    orders.put(Split.VALID, new BatchOrder(parts[1], Seeds.mix(seed, Seeds.ORDER, Split.VALID.ordinal()), false));
    orders.put(Split.TEST, new BatchOrder(identity(test.count()), Seeds.mix(seed, Seeds.ORDER, Split.TEST.ordinal()),
        true));
    Normalization norm = normalization != null ? normalization : Normalization.measure(train, parts[0]);
    this.augmenter = new ImageAugmenter(shape.height(), shape.width(), shape.channels(), norm, augmentation);
  }

  /**
   * What a dataset of these records would be, from counts alone (read from file headers): the same checks of
   * {@code valid_size} and the augmentation as the constructor's, without loading an image. For
   * {@code DatasetProvider.describe}.
   *
   * @param trainCount training records that would be read (after any limit), before the validation hold-out
   * @param testCount test records that would be read
   */
  public static DatasetInfo describe(long trainCount, long testCount, TensorShape shape, int classes, int validSize,
      ImageAugmenter.Settings augmentation) {
    checkValidSize(validSize, trainCount);
    checkAugmentation(augmentation, shape);
    return new DatasetInfo() {
      @Override
      public TaskKind task() {
        return TaskKind.IMAGE_CLASSIFICATION;
      }

      @Override
      public TensorShape exampleShape() {
        return shape;
      }

      @Override
      public int classes() {
        return classes;
      }

      @Override
      public long size(Split split) {
        return switch (split) {
          case TRAIN -> trainCount - validSize;
          case VALID -> validSize;
          case TEST -> testCount;
        };
      }
    };
  }

  private static void checkValidSize(int validSize, long trainCount) {
    if (validSize < 0 || validSize >= trainCount) {
      throw new OptionException("valid_size", "must be in [0, " + trainCount + ") for the " + trainCount
          + " training images read, got " + validSize);
    }
  }

  /** Pad and cutout beyond the image's size would only blank it (and a huge pad overflows the crop offsets). */
  private static void checkAugmentation(ImageAugmenter.Settings a, TensorShape shape) {
    int side = Math.max(shape.height(), shape.width());
    if (a.pad() > side) {
      throw new OptionException("augmentation.pad", "must be in [0, " + side + "] (0 turns it off; at most the "
          + "image's side), got " + a.pad());
    }
    if (a.cutout() > 2 * side) {
      throw new OptionException("augmentation.cutout", "must be in [0, " + 2 * side + "] (0 turns it off; at "
          + "most twice the image's side), got " + a.cutout());
    }
  }

  /** {@code [train, valid]} indices, each ascending: a seeded choice of {@code validSize} records. */
  static int[][] holdOut(int count, int validSize, long seed) {
    int[] all = identity(count);
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, Seeds.HOLDOUT));
    // A partial Fisher-Yates: the first validSize slots end up a uniform random subset.
    for (int i = 0; i < validSize; i++) {
      int j = i + rng.nextInt(count - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] valid = Arrays.copyOfRange(all, 0, validSize);
    int[] trainPart = Arrays.copyOfRange(all, validSize, count);
    Arrays.sort(valid);
    Arrays.sort(trainPart);
    return new int[][] {trainPart, valid};
  }

  @Override
  public TaskKind task() {
    return TaskKind.IMAGE_CLASSIFICATION;
  }

  @Override
  public TensorShape exampleShape() {
    return shape;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public long size(Split split) {
    return orders.get(split).size();
  }

  /**
   * Training and validation batches are always full, running pass after pass; test batches cut each
   * pass exactly, the last one holding the remainder (see {@link BatchOrder}).
   */
  @Override
  public Batch batch(Split split, long index, int batchSize, boolean augment) {
    BatchOrder order = orders.get(split);
    if (order.size() == 0) {
      throw new IllegalArgumentException("the " + split + " split is empty (valid_size is 0)");
    }
    if (batchSize <= 0 || index < 0) {
      throw new IllegalArgumentException("batch size must be positive and index non-negative, got batch "
          + batchSize + " index " + index);
    }
    ImageRecords source = split == Split.TEST ? test : train;
    int[] examples = order.batch(index, batchSize);
    int stride = source.exampleBytes();
    float[] pixels = new float[examples.length * stride];
    int[] labels = new int[examples.length];
    SplittableRandom rng = augment
        ? new SplittableRandom(Seeds.mix(seed, Seeds.AUGMENT, split.ordinal(), index)) : null;
    for (int j = 0; j < examples.length; j++) {
      int e = examples[j];
      if (rng != null) {
        augmenter.write(source.pixels(), e * stride, pixels, j * stride, augmenter.draw(rng));
      } else {
        augmenter.write(source.pixels(), e * stride, pixels, j * stride);
      }
      labels[j] = source.label(e);
    }
    return new Batch.Images(examples.length, shape, pixels, labels);
  }

  @Override
  public String digest() {
    return digest;
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static String dims(ImageRecords r) {
    return r.height() + "x" + r.width() + "x" + r.channels();
  }
}
