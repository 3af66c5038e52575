package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.ClipMode;
import java.util.ServiceLoader;
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

  @Test
  void deviceReportsTheCpuAndItsThreadCounts() {
    TensorFlowBackendOptions o = TensorFlowBackendOptions.newBuilder().setIntraOpThreads(1).setInterOpThreads(3).build();
    try (Backend b = new TensorFlowBackendProvider().create(o, 1)) {
      assertTrue(b.device().startsWith("CPU"), b.device());
      assertTrue(b.device().contains("intra-op 1 threads") && b.device().contains("inter-op 3 threads"), b.device());
    }
  }

  @Test
  void defaultsAreTheAuthorsOptimiserWithRealClipping() {
    BackendSettings s = BackendSettings.from(TensorFlowBackendOptions.getDefaultInstance());
    assertEquals(0.9, s.momentum());
    assertTrue(s.nesterov());
    assertEquals(1e-4, s.weightDecay());
    assertEquals(ClipMode.GLOBAL_NORM, s.clipMode());
    assertEquals(5.0, s.clipBound());
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
    BackendSettings s = BackendSettings.from(TensorFlowBackendOptions.newBuilder().setIntraOpThreads(2).build());
    ConfigProto config = SessionConfig.of(s);
    ConfigProto parsed = ConfigProto.parseFrom(config.toByteArray());
    assertEquals(config, parsed);
    assertTrue(parsed.getGraphOptions().getRewriteOptions().getDisableMetaOptimizer(), "Grappler is off");
    assertEquals(OptimizerOptions.Level.L0, parsed.getGraphOptions().getOptimizerOptions().getOptLevel());
    assertEquals(2, parsed.getIntraOpParallelismThreads());
    TensorShape shape = TensorShape.of(4, 4, 1);
    try (TensorFlowBackend b = new TensorFlowBackend(s, 1)) {
      TrainResult r = b.train(TestNets.convNet(shape, 2, 2, new Op.Identity(), "id"), TestNets.random(2, shape, 2, 1),
          0.1);
      assertTrue(Double.isFinite(r.loss()), "loss " + r.loss());
    }
  }
}
