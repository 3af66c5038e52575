package dev.enas.plugins.dataset.cifar10;

import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.ir.TensorShape;
import dev.enas.support.images.ImageAugmenter;
import dev.enas.support.images.ImageDataset;
import dev.enas.support.images.ImageRecords;
import dev.enas.support.images.Loading;
import dev.enas.support.images.Normalization;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code cifar10} dataset: CIFAR-10's 32x32 colour images in 10 classes, read from the binary
 * version in a directory the user points at. No package provides CIFAR-10, and nothing is downloaded.
 */
public final class Cifar10Provider implements DatasetProvider<Cifar10Options> {
  static final List<String> TRAIN_FILES =
      List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  static final List<String> TEST_FILES = List.of("test_batch.bin");
  /** The folder the official tarball unpacks to; {@code path} may name it or its parent. */
  static final String TARBALL_FOLDER = "cifar-10-batches-bin";
  static final int CLASSES = 10;
  // The paper holds out 5,000 of the 50,000 training images during search (the last 5,000; here a seeded choice).
  static final int DEFAULT_VALID_SIZE = 5000;
  // The authors' preprocessing: pad 4 and a random 32x32 crop, and a horizontal flip.
  static final int DEFAULT_PAD = 4;
  static final boolean DEFAULT_FLIP = true;
  static final int DEFAULT_CUTOUT = 0;

  @Override
  public String id() {
    return "cifar10";
  }

  @Override
  public Cifar10Options defaultOptions() {
    return Cifar10Options.newBuilder()
        .setValidSize(DEFAULT_VALID_SIZE)
        .setTrainLimit(0)
        .setTestLimit(0)
        .setAugmentation(Cifar10Options.Augmentation.newBuilder()
            .setPad(DEFAULT_PAD).setFlip(DEFAULT_FLIP).setCutout(DEFAULT_CUTOUT))
        .setNormalization(Cifar10Options.Normalization.newBuilder().setEnabled(true))
        .build();
  }

  @Override
  public String summary() {
    return "CIFAR-10 binary version from your own copy (option path)";
  }

  @Override
  public Dataset create(Cifar10Options options, long seed) throws IOException {
    Setup s = setup(options);
    MessageDigest digest = Loading.sha256();
    CifarReader reader = new CifarReader(digest);
    ImageRecords train = reader.read(files(s.dir, TRAIN_FILES), s.trainLimit, CLASSES);
    ImageRecords test = reader.read(files(s.dir, TEST_FILES), s.testLimit, CLASSES);
    return new ImageDataset(train, test, CLASSES, s.validSize, seed, s.augmentation, s.normalization,
        HexFormat.of().formatHex(digest.digest()));
  }

  /** The options checked as {@link #create} checks them, and the sizes from the file sizes; no image is read. */
  @Override
  public DatasetInfo describe(Cifar10Options options) throws IOException {
    Setup s = setup(options);
    int train = CifarReader.count(files(s.dir, TRAIN_FILES), s.trainLimit);
    int test = CifarReader.count(files(s.dir, TEST_FILES), s.testLimit);
    return ImageDataset.describe(train, test,
        TensorShape.of(CifarReader.SIDE, CifarReader.SIDE, CifarReader.CHANNELS), CLASSES, s.validSize,
        s.augmentation);
  }

  /** Every option checked, with its default filled in. */
  private record Setup(int validSize, int trainLimit, int testLimit, ImageAugmenter.Settings augmentation,
      Normalization normalization, Path dir) {}

  private static Setup setup(Cifar10Options options) throws FileNotFoundException {
    int validSize = options.hasValidSize() ? options.getValidSize() : DEFAULT_VALID_SIZE;
    Loading.nonNegative("valid_size", validSize);
    int trainLimit = Loading.nonNegative("train_limit", options.getTrainLimit());
    int testLimit = Loading.nonNegative("test_limit", options.getTestLimit());
    Cifar10Options.Augmentation a = options.getAugmentation();
    ImageAugmenter.Settings augmentation = new ImageAugmenter.Settings(
        a.hasPad() ? a.getPad() : DEFAULT_PAD,
        a.hasFlip() ? a.getFlip() : DEFAULT_FLIP,
        a.hasCutout() ? a.getCutout() : DEFAULT_CUTOUT);
    Normalization normalization = normalization(options.getNormalization());
    return new Setup(validSize, trainLimit, testLimit, augmentation, normalization, directory(options.getPath()));
  }

  /** The given normalisation, identity when disabled, or null to measure it on the training split. */
  private static Normalization normalization(Cifar10Options.Normalization n) {
    boolean given = n.getMeanCount() > 0 || n.getStdCount() > 0;
    if (n.hasEnabled() && !n.getEnabled()) {
      if (given) {
        throw new IllegalArgumentException("normalization.mean/std are set but normalization.enabled is false");
      }
      return Normalization.none(CifarReader.CHANNELS);
    }
    if (!given) {
      return null;
    }
    float[] mean = new float[n.getMeanCount()];
    float[] std = new float[n.getStdCount()];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = n.getMean(i);
    }
    for (int i = 0; i < std.length; i++) {
      std[i] = n.getStd(i);
    }
    return Normalization.given(mean, std, CifarReader.CHANNELS);
  }

  private static Path directory(String path) throws FileNotFoundException {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("dataset cifar10 needs the `path` option: a directory holding "
          + String.join(", ", TRAIN_FILES) + " and " + TEST_FILES.get(0)
          + " (the CIFAR-10 binary version); nothing is downloaded");
    }
    Path dir = Path.of(path);
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("CIFAR-10 directory " + dir + " (option `path` of dataset cifar10) does not exist");
    }
    Path nested = dir.resolve(TARBALL_FOLDER);
    if (!Files.exists(dir.resolve(TRAIN_FILES.get(0))) && Files.isDirectory(nested)) {
      return nested;
    }
    return dir;
  }

  /** The named files in {@code dir}; all missing ones are listed at once. */
  private static List<Path> files(Path dir, List<String> names) throws FileNotFoundException {
    List<Path> files = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        files.add(file);
      } else {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new FileNotFoundException("CIFAR-10 directory " + dir + " lacks " + String.join(", ", missing)
          + " (the binary version has " + String.join(", ", TRAIN_FILES) + " and " + TEST_FILES.get(0) + ")");
    }
    return files;
  }
}
