package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import java.util.ServiceLoader;
import dev.enas.support.weights.OptimizerSettings;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;

class ProviderTest {

  @Test
  void serviceLoaderFindsTheTensorflowBackend() {
    @SuppressWarnings("rawtypes")
    ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class);
    BackendProvider<?> found = loader.stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("tensorflow")).findFirst().orElseThrow();
    assertEquals(TensorFlowBackendOptions.getDefaultInstance(), found.defaultOptions());
  }

  /**
   * Tests ask for the default intra-op thread count only: TensorFlow's intra-op pool is one per process, sized by its
   * first session (SessionConfig), so a test asking for another count would set it for every later test of the JVM.
   */
  @Test
  void deviceReportsTheCpuAndItsThreadCounts() {
    int cores = Runtime.getRuntime().availableProcessors();
    TensorFlowBackendOptions o = TensorFlowBackendOptions.newBuilder().setIntraOpThreads(cores).setInterOpThreads(3)
        .build();
    try (Backend b = new TensorFlowBackendProvider().create(o, 1)) {
      assertTrue(b.device().startsWith("CPU"), b.device());
      assertTrue(b.device().contains("intra-op " + cores + " threads") && b.device().contains("inter-op 3 threads"),
          b.device());
    }
  }

  /**
   * A backend's inter-op pool is a pool of its own size, not the process's first session's; with one thread (the
   * default) a step runs inline, in a fixed order, and with more on that pool.
   */
  @Test
  void interOpThreadsArePerSizeAndOneMeansInline() {
    ConfigProto one = SessionConfig.of(BackendSettings.from(TensorFlowBackendOptions.getDefaultInstance()));
    assertEquals(1, one.getSessionInterOpThreadPoolCount());
    assertEquals(1, one.getSessionInterOpThreadPool(0).getNumThreads());
    assertEquals("enas-inter-op-1", one.getSessionInterOpThreadPool(0).getGlobalName());
    assertEquals(-1, SessionConfig.runOptions(one).getInterOpThreadPool(), "inline on the calling thread");
    ConfigProto three = SessionConfig.of(BackendSettings.from(TensorFlowBackendOptions.newBuilder()
        .setInterOpThreads(3).build()));
    assertEquals(3, three.getSessionInterOpThreadPool(0).getNumThreads());
    assertEquals("enas-inter-op-3", three.getSessionInterOpThreadPool(0).getGlobalName());
    assertEquals(0, SessionConfig.runOptions(three).getInterOpThreadPool(), "the session's pool");
  }

  @Test
  void defaultsAreTheAuthorsOptimiserWithRealClipping() {
    BackendSettings s = BackendSettings.from(TensorFlowBackendOptions.getDefaultInstance());
    assertEquals(0.9, s.optimizer().momentum());
    assertTrue(s.optimizer().nesterov());
    assertEquals(1e-4, s.optimizer().weightDecay());
    assertEquals(OptimizerSettings.Clip.GLOBAL_NORM, s.optimizer().clip());
    assertEquals(5.0, s.optimizer().clipBound());
    assertEquals(TensorFlowBackendOptions.BatchNormEval.MOVING_AVERAGES, s.bnEval());
    assertEquals(Runtime.getRuntime().availableProcessors(), s.intraOpThreads());
    assertEquals(1, s.interOpThreads(), "one inter-op thread keeps runs of one seed identical");
    assertEquals(16, s.cacheSize());
  }

  @Test
  void badOptionsAreClearErrorsNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(TensorFlowBackendOptions.newBuilder().setMomentum(1.5).build()));
    assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("[0, 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(TensorFlowBackendOptions.newBuilder().setClipBound(0).build()));
    assertTrue(e.getMessage().contains("clip_bound"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(TensorFlowBackendOptions.newBuilder().setCacheSize(-1).build()));
    assertTrue(e.getMessage().contains("cache_size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BackendSettings.from(TensorFlowBackendOptions.newBuilder().setClipModeValue(9).build()));
    assertTrue(e.getMessage().contains("GLOBAL_NORM"), e.getMessage());
  }

  /** TensorFlow's generated ConfigProto classes run on the project's protobuf runtime, not the one TF was built with. */
  @Test
  void sessionConfigBuiltWithTheProjectsProtobufRunsAStep() throws Exception {
    assertEquals(4, com.google.protobuf.RuntimeVersion.MAJOR, "the project pins protobuf 4.x");
    int cores = Runtime.getRuntime().availableProcessors();
    BackendSettings s = BackendSettings.from(TensorFlowBackendOptions.newBuilder().setIntraOpThreads(cores).build());
    ConfigProto config = SessionConfig.of(s);
    ConfigProto parsed = ConfigProto.parseFrom(config.toByteArray());
    assertEquals(config, parsed);
    assertTrue(parsed.getGraphOptions().getRewriteOptions().getDisableMetaOptimizer(), "Grappler is off");
    assertEquals(OptimizerOptions.Level.L0, parsed.getGraphOptions().getOptimizerOptions().getOptLevel());
    assertEquals(cores, parsed.getIntraOpParallelismThreads());
    TensorShape shape = TensorShape.of(4, 4, 1);
    try (TensorFlowBackend b = new TensorFlowBackend(s, 1)) {
      TrainResult r = b.train(TestNets.convNet(shape, 2, 2, new Op.Identity(), "id"), TestNets.random(2, shape, 2, 1),
          0.1);
      assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
    }
  }
}
