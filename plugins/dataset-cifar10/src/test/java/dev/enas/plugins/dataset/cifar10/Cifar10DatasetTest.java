package dev.enas.plugins.dataset.cifar10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class Cifar10DatasetTest {
  private static final int PER_FILE = 30;
  private static final int TRAIN = 5 * PER_FILE;
  private static final int TEST = 20;
  private static final int VALID = 40;
  private static final int IMAGE = 32 * 32 * 3;

  @TempDir
  Path dir;

  @BeforeEach
  void writeFiles() throws Exception {
    CifarFiles.write(dir, PER_FILE, TEST);
  }

  /** Options that read the test files with normalisation off, so red (0, 0) * 255 is the record number. */
  private Cifar10Options.Builder options() {
    return Cifar10Options.newBuilder()
        .setPath(dir.toString())
        .setValidSize(VALID)
        .setNormalization(Cifar10Options.Normalization.newBuilder().setEnabled(false));
  }

  private static Dataset open(Cifar10Options.Builder options, long seed) throws Exception {
    return new Cifar10Provider().create(options.build(), seed);
  }

  private static Batch.Images images(Dataset d, Split split, long index, int size, boolean augment) {
    return (Batch.Images) d.batch(split, index, size, augment);
  }

  private static List<Integer> ids(Batch.Images b) {
    return IntStream.range(0, b.size()).mapToObj(j -> Math.round(b.pixels()[j * IMAGE] * 255)).toList();
  }

  @Test
  void describesTheImages() throws Exception {
    Dataset d = open(options(), 1);
    assertEquals(TaskKind.IMAGE_CLASSIFICATION, d.task());
    assertEquals(TensorShape.of(32, 32, 3), d.exampleShape());
    assertEquals(10, d.classes());
  }

  @Test
  void validationIsHeldOutOfTheTrainingFiles() throws Exception {
    Dataset d = open(options(), 1);
    assertEquals(TRAIN - VALID, d.size(Split.TRAIN));
    assertEquals(VALID, d.size(Split.VALID));
    assertEquals(TEST, d.size(Split.TEST));
    assertEquals(5000, new Cifar10Provider().defaultOptions().getValidSize());
  }

  @Test
  void trainAndValidDoNotOverlapAndTogetherCoverAllFiveFiles() throws Exception {
    Dataset d = open(options(), 3);
    List<Integer> train = ids(images(d, Split.TRAIN, 0, TRAIN - VALID, false));
    List<Integer> valid = ids(images(d, Split.VALID, 0, VALID, false));
    Set<Integer> all = new HashSet<>(train);
    all.addAll(valid);
    assertEquals(TRAIN - VALID, new HashSet<>(train).size());
    assertEquals(VALID, new HashSet<>(valid).size());
    assertEquals(TRAIN, all.size(), "train and valid overlap");
  }

  @Test
  void batchesHoldHwcPixelsAndTheirLabels() throws Exception {
    Batch.Images b = images(open(options(), 2), Split.TRAIN, 1, 10, false);
    for (int j = 0; j < b.size(); j++) {
      int id = ids(b).get(j);
      assertEquals(id % 10, b.labels()[j]);
      int at = j * IMAGE + (7 * 32 + 9) * 3 + 2;
      assertEquals(CifarFiles.pixel(id, 7, 9, 2) / 255f, b.pixels()[at], 1e-6);
    }
  }

  @Test
  void sameSeedGivesTheSameBatchInAnyCallOrder() throws Exception {
    Cifar10Options.Builder o = options().setAugmentation(Cifar10Options.Augmentation.newBuilder().setCutout(16));
    Dataset walked = open(o, 9);
    for (int i = 0; i < 5; i++) {
      walked.batch(Split.TRAIN, i, 16, true);
    }
    Batch.Images afterWalk = images(walked, Split.TRAIN, 5, 16, true);
    Batch.Images direct = images(open(o, 9), Split.TRAIN, 5, 16, true);
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
      Batch.Images b = images(d, Split.TRAIN, i, 16, false);
      assertEquals(16, b.size(), "training batches are always full");
      stream.addAll(ids(b));
    }
    List<Integer> first = stream.subList(0, n);
    List<Integer> second = stream.subList(n, 2 * n);
    assertEquals(n, new HashSet<>(first).size());
    assertEquals(new HashSet<>(first), new HashSet<>(second));
    assertNotEquals(first, second);
  }

  @Test
  void testBatchesCoverTheTestSetExactlyOncePerPass() throws Exception {
    Dataset d = open(options(), 6);
    Batch.Images first = images(d, Split.TEST, 0, 16, false);
    Batch.Images last = images(d, Split.TEST, 1, 16, false);
    assertEquals(16, first.size());
    assertEquals(4, last.size());
    Set<Integer> seen = new HashSet<>(ids(first));
    seen.addAll(ids(last));
    assertEquals(TEST, seen.size());
  }

  @Test
  void augmentationKeepsTheShapeAndChangesImages() throws Exception {
    Cifar10Options.Builder o = options().setAugmentation(
        Cifar10Options.Augmentation.newBuilder().setPad(4).setFlip(true).setCutout(16));
    Batch.Images plain = images(open(o, 8), Split.TRAIN, 3, 32, false);
    Batch.Images augmented = images(open(o, 8), Split.TRAIN, 3, 32, true);
    assertEquals(TensorShape.of(32, 32, 3), augmented.shape());
    assertEquals(32 * IMAGE, augmented.pixels().length);
    assertArrayEquals(plain.labels(), augmented.labels());
    int changed = 0;
    for (int j = 0; j < 32; j++) {
      for (int i = j * IMAGE; i < (j + 1) * IMAGE; i++) {
        if (plain.pixels()[i] != augmented.pixels()[i]) {
          changed++;
          break;
        }
      }
    }
    assertEquals(32, changed, "a 16x16 cutout changes every image");
  }

  @Test
  void measuredNormalisationCentresEachChannelOfTheTrainingSplit() throws Exception {
    Dataset d = open(options().clearNormalization(), 2);
    float[] px = images(d, Split.TRAIN, 0, TRAIN - VALID, false).pixels();
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sumSq = 0;
      int n = 0;
      for (int i = c; i < px.length; i += 3) {
        sum += px[i];
        sumSq += px[i] * px[i];
        n++;
      }
      double mean = sum / n;
      assertEquals(0, mean, 1e-4, "mean of channel " + c);
      assertEquals(1, Math.sqrt(sumSq / n - mean * mean), 1e-3, "std of channel " + c);
    }
  }

  @Test
  void givenNormalisationIsUsed() throws Exception {
    Dataset d = open(options().setNormalization(Cifar10Options.Normalization.newBuilder()
        .addMean(0.4914f).addMean(0.4822f).addMean(0.4465f).addStd(0.247f).addStd(0.243f).addStd(0.261f)), 2);
    Batch.Images b = images(d, Split.TEST, 0, 1, false);
    Batch.Images raw = images(open(options(), 2), Split.TEST, 0, 1, false);
    assertEquals((raw.pixels()[5] - 0.4465f) / 0.261f, b.pixels()[5], 1e-5);
  }

  @Test
  void limitsReadOnlyTheFirstRecords() throws Exception {
    Dataset d = open(options().setTrainLimit(45).setTestLimit(5).setValidSize(10), 2);
    assertEquals(35, d.size(Split.TRAIN));
    assertEquals(10, d.size(Split.VALID));
    assertEquals(5, d.size(Split.TEST));
    assertTrue(ids(images(d, Split.TRAIN, 0, 35, false)).stream().allMatch(id -> id < 45));
  }

  @Test
  void theTarballFolderMayBeNamedByItsParent() throws Exception {
    Path parent = dir.resolve("download");
    CifarFiles.write(parent.resolve("cifar-10-batches-bin"), 4, 3);
    Dataset d = open(options().setPath(parent.toString()).setValidSize(5), 1);
    assertEquals(15, d.size(Split.TRAIN));
    assertEquals(3, d.size(Split.TEST));
  }

  @Test
  void missingPathOptionSaysWhatToSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Cifar10Provider().create(new Cifar10Provider().defaultOptions(), 1));
    assertTrue(e.getMessage().contains("needs the `path` option") && e.getMessage().contains("data_batch_1.bin"),
        e.getMessage());
  }

  @Test
  void missingDirectoryIsNamed() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> open(options().setPath(dir.resolve("nowhere").toString()), 1));
    assertTrue(e.getMessage().contains("nowhere (option `path` of dataset cifar10) does not exist"), e.getMessage());
  }

  @Test
  void missingFilesAreListed() throws Exception {
    Files.delete(dir.resolve("data_batch_3.bin"));
    Files.delete(dir.resolve("data_batch_5.bin"));
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> open(options(), 1));
    assertTrue(e.getMessage().contains("lacks data_batch_3.bin, data_batch_5.bin"), e.getMessage());
  }

  @Test
  void badOptionsAreRefusedWithTheOptionName() {
    assertRefused(options().setValidSize(-1), "valid_size must be >= 0");
    assertRefused(options().setValidSize(TRAIN), "valid_size must be in [0, 150)");
    assertRefused(options().setTrainLimit(-1), "train_limit must be >= 0");
    assertRefused(options().setAugmentation(Cifar10Options.Augmentation.newBuilder().setCutout(-16)),
        "augmentation.cutout");
    assertRefused(options().setNormalization(Cifar10Options.Normalization.newBuilder().addMean(0.5f).addStd(0.2f)),
        "need 3 value(s) each");
  }

  private static void assertRefused(Cifar10Options.Builder options, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(options, 1));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void digestIsTheSha256OfTheFilesRead() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin")) {
      sha.update(Files.readAllBytes(dir.resolve(name)));
    }
    assertEquals(HexFormat.of().formatHex(sha.digest()), open(options(), 1).digest());
  }

  @Test
  @SuppressWarnings("rawtypes")
  void providerIsFoundByServiceLoader() {
    List<String> ids = new ArrayList<>();
    for (DatasetProvider p : ServiceLoader.load(DatasetProvider.class)) {
      ids.add(p.id());
    }
    assertTrue(ids.contains("cifar10"), ids.toString());
  }
}
