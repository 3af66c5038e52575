package dev.enas.plugins.dataset.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.TaskKind;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistDatasetTest {
  private static final int TRAIN = 200;
  private static final int TEST = 30;
  private static final int VALID = 50;

  @TempDir
  Path dir;

  @BeforeEach
  void writeFiles() throws Exception {
    IdxFiles.write(dir, "train", TRAIN, true);
    IdxFiles.write(dir, "t10k", TEST, false);
  }

  /** Options that read the test files with normalisation off, so pixel (0, 0) * 255 is the record number. */
  private FashionMnistOptions.Builder options() {
    return FashionMnistOptions.newBuilder()
        .setPath(dir.toString())
        .setValidSize(VALID)
        .setNormalization(FashionMnistOptions.Normalization.newBuilder().setEnabled(false));
  }

  private static Dataset open(FashionMnistOptions.Builder options, long seed) throws Exception {
    return new FashionMnistProvider().create(options.build(), seed);
  }

  private static Batch.Images images(Dataset d, Split split, long index, int size, boolean augment) {
    return (Batch.Images) d.batch(split, index, size, augment);
  }

  /** The record numbers of an unaugmented batch. */
  private static List<Integer> ids(Batch.Images b) {
    return IntStream.range(0, b.size()).mapToObj(j -> Math.round(b.pixels()[j * 784] * 255)).toList();
  }

  @Test
  void describesTheImages() throws Exception {
    Dataset d = open(options(), 1);
    assertEquals(TaskKind.IMAGE_CLASSIFICATION, d.task());
    assertEquals(TensorShape.of(28, 28, 1), d.exampleShape());
    assertEquals(10, d.classes());
  }

  @Test
  void validationIsHeldOutOfTheTrainingFile() throws Exception {
    Dataset d = open(options(), 1);
    assertEquals(TRAIN - VALID, d.size(Split.TRAIN));
    assertEquals(VALID, d.size(Split.VALID));
    assertEquals(TEST, d.size(Split.TEST));
  }

  @Test
  void trainAndValidDoNotOverlapAndTogetherCoverTheTrainingFile() throws Exception {
    Dataset d = open(options(), 3);
    List<Integer> train = ids(images(d, Split.TRAIN, 0, TRAIN - VALID, false));
    List<Integer> valid = ids(images(d, Split.VALID, 0, VALID, false));
    Set<Integer> all = new HashSet<>(train);
    all.addAll(valid);
    assertEquals(TRAIN - VALID, new HashSet<>(train).size(), "one pass visits every training example once");
    assertEquals(VALID, new HashSet<>(valid).size());
    assertEquals(TRAIN, all.size(), "train and valid overlap");
  }

  @Test
  void labelsTravelWithTheirImages() throws Exception {
    Batch.Images b = images(open(options(), 3), Split.TRAIN, 2, 40, true);
    List<Integer> plainIds = ids(images(open(options(), 3), Split.TRAIN, 2, 40, false));
    for (int j = 0; j < b.size(); j++) {
      assertEquals(plainIds.get(j) % 10, b.labels()[j]);
    }
  }

  @Test
  void theHoldOutDependsOnlyOnTheSeed() throws Exception {
    Set<Integer> a = new HashSet<>(ids(images(open(options(), 4), Split.VALID, 0, VALID, false)));
    Set<Integer> b = new HashSet<>(ids(images(open(options(), 4), Split.VALID, 0, VALID, false)));
    Set<Integer> c = new HashSet<>(ids(images(open(options(), 5), Split.VALID, 0, VALID, false)));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void sameSeedGivesTheSameBatchInAnyCallOrder() throws Exception {
    Dataset walked = open(options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setCutout(6)), 9);
    for (int i = 0; i < 7; i++) {
      walked.batch(Split.TRAIN, i, 32, true);
    }
    Batch.Images afterWalk = images(walked, Split.TRAIN, 7, 32, true);
    Dataset fresh = open(options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setCutout(6)), 9);
    Batch.Images direct = images(fresh, Split.TRAIN, 7, 32, true);
    assertArrayEquals(direct.pixels(), afterWalk.pixels());
    assertArrayEquals(direct.labels(), afterWalk.labels());
  }

  @Test
  void differentSeedsGiveDifferentOrders() throws Exception {
    List<Integer> a = ids(images(open(options(), 1), Split.TEST, 0, TEST, false));
    List<Integer> b = ids(images(open(options(), 2), Split.TEST, 0, TEST, false));
    assertEquals(new HashSet<>(a), new HashSet<>(b));
    assertNotEquals(a, b);
  }

  @Test
  void everyTrainingPassIsAFreshPermutation() throws Exception {
    Dataset d = open(options(), 6);
    int n = TRAIN - VALID;
    List<Integer> stream = new ArrayList<>();
    for (int i = 0; stream.size() < 2 * n; i++) {
      stream.addAll(ids(images(d, Split.TRAIN, i, 32, false)));
    }
    List<Integer> first = stream.subList(0, n);
    List<Integer> second = stream.subList(n, 2 * n);
    assertEquals(n, new HashSet<>(first).size());
    assertEquals(new HashSet<>(first), new HashSet<>(second));
    assertNotEquals(first, second);
  }

  @Test
  void trainingBatchesAreAlwaysFull() throws Exception {
    Dataset d = open(options(), 6);
    // 150 examples in batches of 32: batch 4 straddles the first and second pass.
    assertEquals(32, d.batch(Split.TRAIN, 4, 32, false).size());
  }

  @Test
  void testBatchesCoverTheTestSetExactlyOncePerPass() throws Exception {
    Dataset d = open(options(), 6);
    List<Integer> seen = new ArrayList<>();
    int[] sizes = new int[4];
    for (int i = 0; i < 4; i++) {
      Batch.Images b = images(d, Split.TEST, i, 8, false);
      sizes[i] = b.size();
      seen.addAll(ids(b));
    }
    assertArrayEquals(new int[] {8, 8, 8, 6}, sizes);
    assertEquals(TEST, new HashSet<>(seen).size());
    assertEquals(8, d.batch(Split.TEST, 4, 8, false).size(), "batch 4 starts the second pass");
  }

  @Test
  void unaugmentedBatchesHoldThePlainPixels() throws Exception {
    Batch.Images b = images(open(options(), 2), Split.TRAIN, 0, 16, false);
    assertEquals(16 * 784, b.pixels().length);
    for (int j = 0; j < b.size(); j++) {
      int id = ids(b).get(j);
      assertEquals(((id + 3 + 5) & 0xff) / 255f, b.pixels()[j * 784 + 3 * 28 + 5], 1e-6);
    }
  }

  @Test
  void augmentationKeepsTheShapeAndChangesSomeImages() throws Exception {
    FashionMnistOptions.Builder o = options().setAugmentation(
        FashionMnistOptions.Augmentation.newBuilder().setPad(4).setFlip(true).setCutout(8));
    Batch.Images plain = images(open(o, 8), Split.TRAIN, 3, 64, false);
    Batch.Images augmented = images(open(o, 8), Split.TRAIN, 3, 64, true);
    assertEquals(TensorShape.of(28, 28, 1), augmented.shape());
    assertEquals(plain.pixels().length, augmented.pixels().length);
    assertArrayEquals(plain.labels(), augmented.labels());
    int changed = 0;
    for (int j = 0; j < 64; j++) {
      for (int i = j * 784; i < (j + 1) * 784; i++) {
        if (plain.pixels()[i] != augmented.pixels()[i]) {
          changed++;
          break;
        }
      }
    }
    assertTrue(changed > 50, "cutout alone changes nearly every image, got " + changed + " of 64");
  }

  @Test
  void measuredNormalisationCentresTheTrainingSplit() throws Exception {
    Dataset d = open(options().clearNormalization(), 2);
    float[] px = images(d, Split.TRAIN, 0, TRAIN - VALID, false).pixels();
    double sum = 0;
    double sumSq = 0;
    for (float v : px) {
      sum += v;
      sumSq += v * v;
    }
    double mean = sum / px.length;
    assertEquals(0, mean, 1e-4);
    assertEquals(1, Math.sqrt(sumSq / px.length - mean * mean), 1e-3);
  }

  @Test
  void limitsReadOnlyTheFirstRecords() throws Exception {
    Dataset d = open(options().setTrainLimit(80).setTestLimit(10).setValidSize(20), 2);
    assertEquals(60, d.size(Split.TRAIN));
    assertEquals(20, d.size(Split.VALID));
    assertEquals(10, d.size(Split.TEST));
    assertTrue(ids(images(d, Split.TRAIN, 0, 60, false)).stream().allMatch(id -> id < 80));
    assertTrue(ids(images(d, Split.TEST, 0, 10, false)).stream().allMatch(id -> id < 10));
  }

  @Test
  void emptyValidationSplitIsRefusedWhenAskedForABatch() throws Exception {
    Dataset d = open(options().setValidSize(0), 2);
    assertEquals(0, d.size(Split.VALID));
    assertEquals(TRAIN, d.size(Split.TRAIN));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.batch(Split.VALID, 0, 8, false));
    assertTrue(e.getMessage().contains("VALID split is empty"), e.getMessage());
  }

  @Test
  void badOptionsAreRefusedWithTheOptionName() {
    assertRefused(options().setValidSize(-1), "valid_size must be >= 0");
    assertRefused(options().setValidSize(TRAIN), "valid_size must be in [0, 200)");
    assertRefused(options().setTrainLimit(-5), "train_limit must be >= 0");
    assertRefused(options().setTestLimit(-5), "test_limit must be >= 0");
    assertRefused(options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setPad(-2)),
        "augmentation.pad");
    assertRefused(options().setNormalization(FashionMnistOptions.Normalization.newBuilder()
        .addMean(0.5f).addMean(0.5f).addStd(0.3f).addStd(0.3f)), "need 1 value(s) each");
    assertRefused(options().setNormalization(FashionMnistOptions.Normalization.newBuilder()
        .setEnabled(false).addMean(0.5f).addStd(0.3f)), "normalization.enabled is false");
  }

  private static void assertRefused(FashionMnistOptions.Builder options, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(options, 1));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void missingDefaultDirectorySaysHowToInstallIt() {
    Path absent = dir.resolve("not-installed");
    FashionMnistProvider provider = new FashionMnistProvider(absent);
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> provider.create(FashionMnistOptions.getDefaultInstance(), 1));
    assertTrue(e.getMessage().contains(absent + " does not exist"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("`path` option"), e.getMessage());
  }

  @Test
  void missingConfiguredDirectoryNamesTheOption() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> open(options().setPath(dir.resolve("elsewhere").toString()), 1));
    assertTrue(e.getMessage().contains("elsewhere does not exist. Set the `path` option"), e.getMessage());
    assertFalse(e.getMessage().contains("apt-get"), e.getMessage());
  }

  @Test
  void digestIsTheSha256OfTheFilesRead() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte")) {
      sha.update(Files.readAllBytes(dir.resolve(name)));
    }
    String before = open(options(), 1).digest();
    assertEquals(HexFormat.of().formatHex(sha.digest()), before);
    IdxFiles.write(dir, "t10k", TEST + 1, false);
    assertNotEquals(before, open(options(), 1).digest());
  }

  @Test
  void defaultOptionsSpellOutTheDefaults() {
    FashionMnistOptions o = new FashionMnistProvider().defaultOptions();
    assertEquals("/usr/share/datasets/fashion-mnist", o.getPath());
    assertEquals(5000, o.getValidSize());
    assertEquals(2, o.getAugmentation().getPad());
    assertTrue(o.getAugmentation().getFlip());
    assertEquals(0, o.getAugmentation().getCutout());
    assertTrue(o.getNormalization().getEnabled());
  }

  @Test
  @SuppressWarnings("rawtypes")
  void providerIsFoundByServiceLoader() {
    List<String> ids = new ArrayList<>();
    for (DatasetProvider p : ServiceLoader.load(DatasetProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.contains("fashion-mnist"), ids.toString());
  }
}
