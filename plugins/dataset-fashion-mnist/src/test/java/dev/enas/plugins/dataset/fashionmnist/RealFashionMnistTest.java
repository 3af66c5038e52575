package dev.enas.plugins.dataset.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Reads the real files of the Debian package {@code dataset-fashion-mnist}; skipped where it is not installed. */
class RealFashionMnistTest {

  @Test
  void readsTheInstalledPackage() throws Exception {
    assumeTrue(Files.isDirectory(FashionMnistProvider.DEFAULT_PATH),
        "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
    Dataset d = new FashionMnistProvider().create(FashionMnistOptions.getDefaultInstance(), 1);
    assertEquals(60_000, d.size(Split.TRAIN) + d.size(Split.VALID));
    assertEquals(5_000, d.size(Split.VALID));
    assertEquals(10_000, d.size(Split.TEST));
    assertEquals(64, d.digest().length());
    int[] perClass = new int[10];
    for (long i = 0; i < 10; i++) {
      for (int label : ((Batch.Images) d.batch(Split.TEST, i, 1000, false)).labels()) {
        assertTrue(label >= 0 && label < 10, "label " + label);
        perClass[label]++;
      }
    }
    for (int count : perClass) {
      assertEquals(1000, count, "the test set has 1,000 images of each class");
    }
  }
}
