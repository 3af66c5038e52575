package dev.enas.plugins.backend.tensorflow;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.ThreadPoolOptionProto;

/** The TensorFlow session configuration every child graph runs with. */
final class SessionConfig {
  private SessionConfig() {}

  /**
   * The run options of every step: with one inter-op thread (the default) a step runs all its kernels in order on the
   * calling thread; with more, on the session's inter-op pool.
   *
   * <p>Why not on a pool of one thread: TensorFlow's executor decides which ready kernels it runs at once and which it
   * hands to the pool from kernel times it measures during a graph's first runs, so the order of a new graph's first
   * step depends on timing. Measured on a 2-core EPYC, 40 fresh backends per JVM training one recurrent child on its
   * supernet graph: on a pool, 1 to 3 in 40 got other last bits after the first step (never later), always in the
   * gradients of tensors read at every unrolled step (the embedding, a cell weight). Those gradients are sums over the
   * readers, and TensorFlow's AddN accumulates into whichever input's buffer is free when it runs, putting that input
   * first. 80 steps of SGD at rate 20 turned the last bits into accuracy 0.80 instead of 0.86 (issue 13: "0.864 alone,
   * 0.803 in the suite"). Inline, 240 out of 240 were identical, at the same speed.
   */
  static RunOptions runOptions(ConfigProto config) {
    return config.getInterOpParallelismThreads() == 1 ? INLINE : RunOptions.getDefaultInstance();
  }

  /** {@code inter_op_thread_pool = -1}: TensorFlow's "use the caller thread" (one executor per step on the CPU). */
  private static final RunOptions INLINE = RunOptions.newBuilder().setInterOpThreadPool(-1).build();

  /**
   * Thread counts from the settings; Grappler and the classic graph optimiser off, because each child graph runs
   * only until the next child is sampled and optimising it cost up to 10x its first run with no gain in steady
   * steps (measured, reference/tensorflow-java.md); GPU memory grown on demand; GPUs hidden when not wanted.
   *
   * <p>The inter-op pool is named by its size and shared by the sessions that ask for that size. Left to TensorFlow,
   * every session of the process would share one pool sized by the process's first session, so a backend made with 3
   * inter-op threads would silently make every later backend of the JVM (the next test, the next trial of a sweep)
   * run on 3. The intra-op pool cannot be kept per backend in the same way: TensorFlow makes one per process, sized by
   * the first session (only the environment variable {@code TF_OVERRIDE_GLOBAL_THREADPOOL}, read by the native
   * library, changes that), so the first backend of a process fixes it.
   */
  static ConfigProto of(BackendSettings s) {
    ConfigProto.Builder b = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(s.intraOpThreads())
        .setInterOpParallelismThreads(s.interOpThreads())
        .addSessionInterOpThreadPool(ThreadPoolOptionProto.newBuilder().setNumThreads(s.interOpThreads())
            .setGlobalName("enas-inter-op-" + s.interOpThreads()))
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
