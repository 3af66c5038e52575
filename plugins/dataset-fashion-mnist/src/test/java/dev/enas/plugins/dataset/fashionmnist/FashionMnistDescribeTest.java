package dev.enas.plugins.dataset.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.Split;
import dev.enas.api.plugin.OptionException;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** describe, the validation pass's view of the dataset: what create would open, from the IDX headers alone. */
class FashionMnistDescribeTest {
  @TempDir
  Path dir;

  private final FashionMnistProvider provider = new FashionMnistProvider();

  @BeforeEach
  void writeFiles() throws Exception {
    IdxFiles.write(dir, "train", 120, true);
    IdxFiles.write(dir, "t10k", 30, false);
  }

  private FashionMnistOptions.Builder options() {
    return FashionMnistOptions.newBuilder().setPath(dir.toString()).setValidSize(20);
  }

  @Test
  void describeSaysWhatCreateOpens() throws Exception {
    for (FashionMnistOptions o : List.of(options().build(), options().setTrainLimit(50).setTestLimit(7).build())) {
      DatasetInfo info = provider.describe(o);
      Dataset d = provider.create(o, 1);
      assertEquals(d.exampleShape(), info.exampleShape());
      assertEquals(d.classes(), info.classes());
      assertEquals(d.task(), info.task());
      for (Split s : Split.values()) {
        assertEquals(d.size(s), info.size(s), s.toString());
        assertEquals(d.maxBatchSize(s), info.maxBatchSize(s), s.toString());
      }
    }
  }

  @Test
  void describeRefusesWhatCreateRefusesNamingTheOption() throws Exception {
    List<FashionMnistOptions.Builder> bad = List.of(
        options().setValidSize(120),
        options().setValidSize(-1),
        options().setTrainLimit(-2),
        options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setPad(29)),
        options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setCutout(Integer.MAX_VALUE)));
    for (FashionMnistOptions.Builder b : bad) {
      IllegalArgumentException fromDescribe = assertThrows(IllegalArgumentException.class,
          () -> provider.describe(b.build()));
      IllegalArgumentException fromCreate = assertThrows(IllegalArgumentException.class,
          () -> provider.create(b.build(), 1));
      assertEquals(fromCreate.getMessage(), fromDescribe.getMessage());
    }
    OptionException pad = assertThrows(OptionException.class, () -> provider.describe(
        options().setAugmentation(FashionMnistOptions.Augmentation.newBuilder().setPad(29)).build()));
    assertEquals("augmentation.pad", pad.option());
    assertEquals("augmentation.pad must be in [0, 28] (0 turns it off; at most the image's side), got 29",
        pad.getMessage());
    OptionException valid = assertThrows(OptionException.class,
        () -> provider.describe(options().setValidSize(120).build()));
    assertEquals("valid_size must be in [0, 120) for the 120 training images read, got 120", valid.getMessage());
  }

  @Test
  void aMissingDirectoryNamesThePathOption() throws Exception {
    Path missing = dir.resolve("absent");
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> provider.describe(options().setPath(missing.toString()).build()));
    assertTrue(e.getMessage().contains(missing + " does not exist") && e.getMessage().contains("`path` option"),
        e.getMessage());
  }

  @Test
  void describeReadsOnlyTheHeaders() throws Exception {
    // Truncating the data after the headers leaves describe unaffected; create notices.
    Path images = dir.resolve("t10k-images-idx3-ubyte");
    byte[] full = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(full, 16 + 784));
    assertEquals(30, provider.describe(options().build()).size(Split.TEST));
    assertThrows(java.io.IOException.class, () -> provider.create(options().build(), 1));
  }
}
