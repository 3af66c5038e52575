package dev.enas.plugins.dataset.cifar10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.Split;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** describe, the validation pass's view of the dataset: what create would open, from the file sizes alone. */
class Cifar10DescribeTest {
  @TempDir
  Path dir;

  private final Cifar10Provider provider = new Cifar10Provider();

  @BeforeEach
  void writeFiles() throws Exception {
    CifarFiles.write(dir, 20, 15);
  }

  private Cifar10Options.Builder options() {
    return Cifar10Options.newBuilder().setPath(dir.toString()).setValidSize(30);
  }

  @Test
  void describeSaysWhatCreateOpens() throws Exception {
    for (Cifar10Options o : List.of(options().build(), options().setTrainLimit(45).setTestLimit(4).build())) {
      DatasetInfo info = provider.describe(o);
      Dataset d = provider.create(o, 1);
      assertEquals(d.exampleShape(), info.exampleShape());
      assertEquals(d.classes(), info.classes());
      for (Split s : Split.values()) {
        assertEquals(d.size(s), info.size(s), s.toString());
      }
    }
  }

  @Test
  void describeRefusesWhatCreateRefuses() {
    List<Cifar10Options.Builder> bad = List.of(
        options().setValidSize(100),
        options().setTestLimit(-1),
        options().setPath(""),
        options().setAugmentation(Cifar10Options.Augmentation.newBuilder().setPad(33)),
        options().setNormalization(Cifar10Options.Normalization.newBuilder().addMean(0.5f).addStd(0.2f)));
    for (Cifar10Options.Builder b : bad) {
      IllegalArgumentException fromDescribe = assertThrows(IllegalArgumentException.class,
          () -> provider.describe(b.build()));
      IllegalArgumentException fromCreate = assertThrows(IllegalArgumentException.class,
          () -> provider.create(b.build(), 1));
      assertEquals(fromCreate.getMessage(), fromDescribe.getMessage());
    }
  }
}
