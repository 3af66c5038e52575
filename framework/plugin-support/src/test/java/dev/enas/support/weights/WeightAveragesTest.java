package dev.enas.support.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Averaged SGD's running means: the mean of the weights over the steps, swapped in and out, saved and restored. */
class WeightAveragesTest {
  @TempDir
  Path tmp;

  private static final ParamKey W = ParamKey.of("w");
  private static final ParamKey STAT = ParamKey.of("bn/mean");

  private static SharedWeights store() {
    SharedWeights s = new SharedWeights(1);
    s.entry(ParamSpec.trainable(W, TensorShape.of(2), ParamSpec.Init.ZEROS));
    s.entry(ParamSpec.state(STAT, TensorShape.of(2), ParamSpec.Init.ZEROS));
    return s;
  }

  private static void set(SharedWeights s, float a, float b) {
    s.get(W).values[0] = a;
    s.get(W).values[1] = b;
  }

  @Test
  void theMeansAreTheMeanOfTheWeightsFromTheStartOverEveryStep() {
    SharedWeights s = store();
    set(s, 1, 10);
    WeightAverages a = WeightAverages.start(s);
    set(s, 2, 20);
    a.update(s);
    set(s, 6, 60);
    a.update(s);
    assertEquals(3, a.count());
    assertArrayEquals(new float[] {3, 30}, a.means().get(W), 1e-6f);
    assertNull(a.means().get(STAT), "state (batch-norm statistics) is not averaged");

    a.swap(s);
    assertTrue(a.swapped());
    assertArrayEquals(new float[] {3, 30}, s.get(W).values, 1e-6f, "swapped: the store holds the means");
    assertThrows(IllegalStateException.class, () -> a.update(s), "no training on the averaged weights");
    a.swap(s);
    assertArrayEquals(new float[] {6, 60}, s.get(W).values, 0f, "swapped back: the trained weights again");
  }

  @Test
  void aStoreSavedWhileAveragingLoadsWithItsMeansAndCount() throws IOException {
    SharedWeights s = store();
    set(s, 1, 10);
    WeightAverages a = WeightAverages.start(s);
    set(s, 3, 30);
    a.update(s);
    Path f = tmp.resolve("w.pb");
    TensorStoreFile.save(f, "space", "test", 7, s, a);
    TensorStoreFile.Loaded back = TensorStoreFile.load(f, "space");
    assertEquals(2, back.averages().count());
    assertArrayEquals(new float[] {2, 20}, back.averages().means().get(W), 1e-6f);
    assertArrayEquals(new float[] {3, 30}, back.entries().get(W).values, 0f);
    assertEquals(2, back.entries().size(), "the means are not tensors of their own");

    Path plain = tmp.resolve("plain.pb");
    TensorStoreFile.save(plain, "space", "test", 7, s);
    assertNull(TensorStoreFile.load(plain, "space").averages());
  }

  @Test
  void aFileWithMeansButNoCountIsRefused() throws IOException {
    SharedWeights s = store();
    WeightAverages a = WeightAverages.start(s);
    Path f = tmp.resolve("w.pb");
    TensorStoreFile.save(f, "space", "test", 7, s, a);
    // the count (averaged_steps = 1, field 6, varint) removed: the means no longer say how many steps they hold
    byte[] bytes = Files.readAllBytes(f);
    dev.enas.proto.TensorStore store = dev.enas.proto.TensorStore.parseFrom(bytes);
    Files.write(f, store.toBuilder().clearAveragedSteps().build().toByteArray());
    IOException e = assertThrows(IOException.class, () -> TensorStoreFile.load(f, "space"));
    assertTrue(e.getMessage().contains("running means") && e.getMessage().contains(f.toString()), e.getMessage());
  }
}
