package dev.enas.plugins.backend.tensorflow;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/** The TensorFlow session configuration every child graph runs with. */
final class SessionConfig {
  private SessionConfig() {}

  /**
   * Thread counts from the settings; Grappler and the classic graph optimiser off, because each child graph runs
   * only until the next child is sampled and optimising it cost up to 10x its first run with no gain in steady
   * steps (measured, reference/tensorflow-java.md); GPU memory grown on demand; GPUs hidden when not wanted.
   */
  static ConfigProto of(BackendSettings s) {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(s.intraOpThreads())
        .setInterOpParallelismThreads(s.interOpThreads())
        .setAllowSoftPlacement(true)
        .setGraphOptions(GraphOptions.newBuilder()
            .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
            .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)))
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    if (!s.useGpu()) {
      b.putDeviceCount("GPU", 0);
    }
    return b.build();
  }
}
