package dev.enas.plugins.dataset.fashionmnist;

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
import java.util.HexFormat;

/**
 * The {@code fashion-mnist} dataset: 28x28 grayscale images in 10 classes from IDX files, by default
 * those of the Debian package {@code dataset-fashion-mnist}. MNIST files in the same layout work too.
 */
public final class FashionMnistProvider implements DatasetProvider<FashionMnistOptions> {
  static final Path DEFAULT_PATH = Path.of("/usr/share/datasets/fashion-mnist");
  static final int CLASSES = 10;
  static final int CHANNELS = 1;
  static final int DEFAULT_VALID_SIZE = 5000;
  // 2 of 28 pixels is close to the 4 of 32 used for CIFAR-10 while keeping the centred garment in view.
  static final int DEFAULT_PAD = 2;
  static final boolean DEFAULT_FLIP = true;
  static final int DEFAULT_CUTOUT = 0;

  private final Path defaultPath;

  public FashionMnistProvider() {
    this(DEFAULT_PATH);
  }

  /** For tests: a default directory other than the Debian package's. */
  FashionMnistProvider(Path defaultPath) {
    this.defaultPath = defaultPath;
  }

  @Override
  public String id() {
    return "fashion-mnist";
  }

  @Override
  public FashionMnistOptions defaultOptions() {
    return FashionMnistOptions.newBuilder()
        .setPath(defaultPath.toString())
        .setValidSize(DEFAULT_VALID_SIZE)
        .setTrainLimit(0)
        .setTestLimit(0)
        .setAugmentation(FashionMnistOptions.Augmentation.newBuilder()
            .setPad(DEFAULT_PAD).setFlip(DEFAULT_FLIP).setCutout(DEFAULT_CUTOUT))
        .setNormalization(FashionMnistOptions.Normalization.newBuilder().setEnabled(true))
        .build();
  }

  @Override
  public String summary() {
    return "Fashion-MNIST (or MNIST) from IDX files; default " + DEFAULT_PATH + " (apt-get install dataset-fashion-mnist)";
  }

  @Override
  public Dataset create(FashionMnistOptions options, long seed) throws IOException {
    Setup s = setup(options);
    MessageDigest digest = Loading.sha256();
    IdxReader reader = new IdxReader(digest);
    ImageRecords train = reader.read(s.dir, "train", s.trainLimit, CLASSES);
    ImageRecords test = reader.read(s.dir, "t10k", s.testLimit, CLASSES);
    return new ImageDataset(train, test, CLASSES, s.validSize, seed, s.augmentation, s.normalization,
        HexFormat.of().formatHex(digest.digest()));
  }

  /** The options checked as {@link #create} checks them, and the sizes from the IDX headers; no image is read. */
  @Override
  public DatasetInfo describe(FashionMnistOptions options) throws IOException {
    Setup s = setup(options);
    int[] train = IdxReader.peek(s.dir, "train");
    int[] test = IdxReader.peek(s.dir, "t10k");
    return ImageDataset.describe(kept(train[0], s.trainLimit), kept(test[0], s.testLimit),
        TensorShape.of(train[1], train[2], CHANNELS), CLASSES, s.validSize, s.augmentation);
  }

  private static long kept(int count, int limit) {
    return limit > 0 ? Math.min(limit, count) : count;
  }

  /** Every option checked, with its default filled in. */
  private record Setup(int validSize, int trainLimit, int testLimit, ImageAugmenter.Settings augmentation,
      Normalization normalization, Path dir) {}

  private Setup setup(FashionMnistOptions options) throws FileNotFoundException {
    int validSize = options.hasValidSize() ? options.getValidSize() : DEFAULT_VALID_SIZE;
    int trainLimit = Loading.nonNegative("train_limit", options.getTrainLimit());
    int testLimit = Loading.nonNegative("test_limit", options.getTestLimit());
    Loading.nonNegative("valid_size", validSize);
    FashionMnistOptions.Augmentation a = options.getAugmentation();
    ImageAugmenter.Settings augmentation = new ImageAugmenter.Settings(
        a.hasPad() ? a.getPad() : DEFAULT_PAD,
        a.hasFlip() ? a.getFlip() : DEFAULT_FLIP,
        a.hasCutout() ? a.getCutout() : DEFAULT_CUTOUT);
    Normalization normalization = normalization(options.getNormalization());
    return new Setup(validSize, trainLimit, testLimit, augmentation, normalization, directory(options));
  }

  /** The given normalisation, identity when disabled, or null to measure it on the training split. */
  private static Normalization normalization(FashionMnistOptions.Normalization n) {
    boolean given = n.getMeanCount() > 0 || n.getStdCount() > 0;
    if (n.hasEnabled() && !n.getEnabled()) {
      if (given) {
        throw new IllegalArgumentException("normalization.mean/std are set but normalization.enabled is false");
      }
      return Normalization.none(CHANNELS);
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
    return Normalization.given(mean, std, CHANNELS);
  }

  private Path directory(FashionMnistOptions options) throws FileNotFoundException {
    Path dir = options.hasPath() && !options.getPath().isEmpty() ? Path.of(options.getPath()) : defaultPath;
    if (Files.isDirectory(dir)) {
      return dir;
    }
    String install = dir.equals(defaultPath)
        ? " Install it with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu, as root), or set"
        : " Set";
    throw new FileNotFoundException("Fashion-MNIST directory " + dir + " does not exist." + install
        + " the `path` option of dataset fashion-mnist to a directory holding train-images-idx3-ubyte,"
        + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each plain or .gz).");
  }
}
