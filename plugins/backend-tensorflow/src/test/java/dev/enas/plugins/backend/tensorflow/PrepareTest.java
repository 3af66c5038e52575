package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Children announced with {@code prepare} are compiled in the background and change nothing but timing. */
class PrepareTest {
  private static final TensorShape SHAPE = TensorShape.of(8, 8, 3);

  private static TensorFlowBackendOptions threads(int n) {
    return TensorFlowBackendOptions.newBuilder().setCompileThreads(n).build();
  }

  private static List<Graph> children() {
    return List.of(SharedWeightsTest.childA(), SharedWeightsTest.childB(),
        TestNets.convNet(SHAPE, 8, 4, Op.Conv2d.of(5, 8, TestNets.k("c/w")), "c"),
        TestNets.convNet(SHAPE, 8, 4, new Op.Pool(Op.Pool.Kind.MAX, 3, 1), "d"));
  }

  /** Trains each child in turn; with {@code announce}, the next two are announced before each step. */
  private static List<Double> losses(TensorFlowBackend b, boolean announce) {
    List<Graph> children = children();
    List<Double> out = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < children.size(); i++) {
        Batch batch = TestNets.random(16, SHAPE, 4, 100 + round * 10 + i);
        if (announce) {
          for (int j = i + 1; j < Math.min(children.size(), i + 3); j++) {
            b.prepare(children.get(j), batch);
          }
        }
        TrainResult r = b.train(children.get(i), batch, 0.05);
        out.add(r.loss());
        out.add(r.accuracy());
      }
    }
    return out;
  }

  @Test
  void announcedChildrenTrainBitIdenticallyAndAreTakenCompiled() {
    List<Double> plain;
    try (TensorFlowBackend b = backend(threads(0), 21)) {
      assertEquals(0, b.prepareAhead());
      plain = losses(b, true);
    }
    try (TensorFlowBackend b = backend(threads(2), 21)) {
      assertEquals(3, b.prepareAhead());
      List<Double> prepared = losses(b, true);
      assertEquals(plain, prepared);
      // Children 1..3 of the first round were announced before their first step; the second round hits the cache.
      assertEquals(3, b.compiler().taken());
      assertEquals(4, b.cache().misses());
    }
  }

  @Test
  void aChildThatCannotBeCompiledIsReportedByTheStepNotByPrepare() {
    Batch wrongShape = TestNets.random(4, TensorShape.of(6, 6, 3), 4, 1);
    try (TensorFlowBackend b = backend(threads(1), 3)) {
      b.prepare(SharedWeightsTest.childA(), wrongShape);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.train(SharedWeightsTest.childA(), wrongShape, 0.05));
      assertTrue(e.getMessage().contains("holds"), e.getMessage());
      assertEquals(0, b.compiler().taken());
    }
  }

  @Test
  void closingWithChildrenStillAnnouncedWaitsForThemAndFreesThem() {
    TensorFlowBackend b = backend(threads(1), 5);
    Batch batch = TestNets.random(8, SHAPE, 4, 2);
    for (Graph c : children()) {
      b.prepare(c, batch);
    }
    b.close();
    assertThrows(IllegalStateException.class, () -> b.prepare(SharedWeightsTest.childA(), batch));
  }

  @Test
  void moreAnnouncementsThanRoomDropTheEldest() {
    try (TensorFlowBackend b = backend(threads(1), 5)) {
      Batch batch = TestNets.random(8, SHAPE, 4, 2);
      List<Graph> children = children();
      for (Graph c : children) {
        b.prepare(c, batch);
      }
      // Room for two: the first two announced were dropped (and closed once built), the last two wait.
      assertEquals(2, b.compiler().capacity());
      b.train(children.get(0), batch, 0.05);
      b.train(children.get(3), batch, 0.05);
      assertEquals(1, b.compiler().taken());
    }
  }

  @Test
  void compileThreadsAreValidatedAndDefaultToNoneOnSmallMachines() {
    assertEquals(0, BackendSettings.defaultCompileThreads(2));
    assertEquals(2, BackendSettings.defaultCompileThreads(4));
    assertEquals(8, BackendSettings.defaultCompileThreads(16));
    assertEquals(8, BackendSettings.defaultCompileThreads(96));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(threads(-1)));
    assertTrue(e.getMessage().contains("compile_threads"), e.getMessage());
  }
}
