package dev.enas.plugins.backend.tensorflow;

import static dev.enas.plugins.backend.tensorflow.TestNets.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend.Use;
import dev.enas.api.backend.Evaluation;
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
            b.prepare(children.get(j), batch, Use.TRAINING);
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

  /** Trains each child once, then evaluates each, announcing the next two evaluations with {@code announce}. */
  private static List<Double> evaluations(TensorFlowBackend b, boolean announce) {
    List<Graph> children = children();
    for (int i = 0; i < children.size(); i++) {
      b.train(children.get(i), TestNets.random(16, SHAPE, 4, 200 + i), 0.05);
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      if (announce) {
        for (int j = i + 1; j < Math.min(children.size(), i + 3); j++) {
          b.prepare(children.get(j), TestNets.random(32, SHAPE, 4, 300 + j), Use.EVALUATION);
        }
      }
      Evaluation e = b.evaluate(children.get(i), TestNets.random(32, SHAPE, 4, 300 + i));
      out.add(e.loss());
      out.add(e.accuracy());
    }
    return out;
  }

  @Test
  void announcedEvaluationsGiveTheSameResultsAndAreTakenCompiled() {
    for (String bnEval : List.of("MOVING_AVERAGES", "BATCH_STATISTICS")) {
      TensorFlowBackendOptions.Builder o = TensorFlowBackendOptions.newBuilder()
          .setBnEval(TensorFlowBackendOptions.BatchNormEval.valueOf(bnEval));
      List<Double> plain;
      try (TensorFlowBackend b = backend(o.setCompileThreads(0).build(), 8)) {
        plain = evaluations(b, true);
      }
      try (TensorFlowBackend b = backend(o.setCompileThreads(2).build(), 8)) {
        assertEquals(plain, evaluations(b, true), bnEval);
        assertEquals(3, b.compiler().taken(), bnEval);
      }
    }
  }

  @Test
  void aChildThatCannotBeCompiledIsReportedByTheStepNotByPrepare() {
    Batch wrongShape = TestNets.random(4, TensorShape.of(6, 6, 3), 4, 1);
    try (TensorFlowBackend b = backend(threads(1), 3)) {
      b.prepare(SharedWeightsTest.childA(), wrongShape, Use.TRAINING);
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
      b.prepare(c, batch, Use.TRAINING);
      b.prepare(c, batch, Use.EVALUATION);
    }
    b.close();
    assertThrows(IllegalStateException.class, () -> b.prepare(SharedWeightsTest.childA(), batch, Use.TRAINING));
  }

  @Test
  void moreAnnouncementsThanRoomDropTheEldest() {
    try (TensorFlowBackend b = backend(threads(1), 5)) {
      Batch batch = TestNets.random(8, SHAPE, 4, 2);
      List<Graph> children = children();
      for (Graph c : children) {
        b.prepare(c, batch, Use.TRAINING);
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
