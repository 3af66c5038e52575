package dev.enas.plugins.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.space.micro.MicroSpaceOptions;
import dev.enas.plugins.space.micro.MicroSpaceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A stream of new children does not grow resident memory: every native array of a step lives in its own manager,
 * closed at the step's end. Resident memory first grows while libtorch's allocator and the JIT warm up (measured on 2
 * cores: 267 MiB after 100 children, 400 after 300, 399 after 2,000), so growth is measured over the second half of
 * the run, against the TensorFlow soak's 64 MiB limit. The quick check runs 600 children; the 2,000-child soak runs
 * with {@code -Psoak}.
 */
class MemoryTest {

  @Test
  void sixHundredNewChildrenLeaveResidentMemoryFlat() throws IOException {
    soak(600);
  }

  @Tag("soak")
  @Test
  void twoThousandNewChildrenLeaveResidentMemoryFlat() throws IOException {
    soak(2000);
  }

  private static void soak(int children) throws IOException {
    SearchSpace space = new MicroSpaceProvider().create(MicroSpaceOptions.newBuilder().setNumCells(1)
        .setNumBlocks(2).setChannels(4).setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(4)
        .build());
    Batch.Images batch = TestNets.random(8, TensorShape.of(8, 8, 1), 4, 1);
    SplittableRandom rng = new SplittableRandom(1);
    try (PyTorchBackend b = TestNets.backend(1)) {
      long warm = 0;
      int warmAt = children / 2;
      for (int i = 0; i < children; i++) {
        Graph child = space.child(space.schema().uniform(rng));
        b.train(child, batch, 0.01, 0.5);
        if (i % 10 == 0) {
          b.evaluate(child, batch);
        }
        if (i == warmAt) {
          System.gc();
          warm = rssKiB();
        }
      }
      System.gc();
      long end = rssKiB();
      System.out.printf("RSS after %d children: %d MiB, after %d: %d MiB%n", warmAt, warm / 1024, children, end / 1024);
      assertTrue(end - warm < 64 * 1024, "RSS grew from " + warm / 1024 + " MiB to " + end / 1024 + " MiB");
    }
  }

  private static long rssKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }
}
