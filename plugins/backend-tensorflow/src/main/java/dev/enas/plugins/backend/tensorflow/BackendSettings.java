package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.plugin.OptionException;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.BatchNormEval;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.ClipMode;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import dev.enas.support.weights.MovingAverages;
import dev.enas.support.weights.OptimizerSettings;

/**
 * The backend's options with every default filled in and every value checked; built once from the options
 * message so the rest of the code never sees an unset field.
 */
record BackendSettings(
    int intraOpThreads,
    int interOpThreads,
    OptimizerSettings optimizer,
    BatchNormEval bnEval,
    double bnDecay,
    double bnEpsilon,
    int cacheSize,
    boolean useGpu,
    int compileThreads,
    Execution execution) {

  static final int DEFAULT_CACHE_SIZE = 16;

  /** Fills defaults and validates; a bad value is an {@link IllegalArgumentException} naming the option and its range. */
  static BackendSettings from(TensorFlowBackendOptions o) {
    int cores = Runtime.getRuntime().availableProcessors();
    int intra = o.hasIntraOpThreads() && o.getIntraOpThreads() != 0 ? o.getIntraOpThreads() : cores;
    // One inter-op thread by default: with two, independent ops share the intra-op pool and a 2-core run of the same
    // seed gave different losses from one run to the next; with one it repeats exactly, at the same speed.
    int inter = o.hasInterOpThreads() && o.getInterOpThreads() != 0 ? o.getInterOpThreads() : 1;
    threads("intra_op_threads", intra, "0 = core count");
    threads("inter_op_threads", inter, "0 = 1, deterministic");
    ClipMode clip = o.getClipMode();
    if (clip == ClipMode.UNRECOGNIZED) {
      throw new OptionException("clip_mode", "must be one of GLOBAL_NORM, PER_TENSOR_NORM, NO_CLIPPING, got "
          + o.getClipModeValue());
    }
    OptimizerSettings optimizer = OptimizerSettings.of(o.hasMomentum() ? o.getMomentum() : null,
        o.hasNesterov() ? o.getNesterov() : null, o.hasWeightDecay() ? o.getWeightDecay() : null, switch (clip) {
          case PER_TENSOR_NORM -> OptimizerSettings.Clip.PER_TENSOR_NORM;
          case NO_CLIPPING -> OptimizerSettings.Clip.NONE;
          default -> OptimizerSettings.Clip.GLOBAL_NORM;
        }, o.hasClipBound() ? o.getClipBound() : null);
    BatchNormEval bn = o.getBnEval();
    if (bn == BatchNormEval.UNRECOGNIZED) {
      throw new IllegalArgumentException("bn_eval must be one of MOVING_AVERAGES, BATCH_STATISTICS, got "
          + o.getBnEvalValue());
    }
    if (bn == BatchNormEval.BATCH_NORM_EVAL_UNSET) {
      bn = BatchNormEval.MOVING_AVERAGES;
    }
    double bnDecay = MovingAverages.decay(o.hasBnDecay() ? o.getBnDecay() : null);
    double eps = MovingAverages.epsilon(o.hasBnEpsilon() ? o.getBnEpsilon() : null);
    int cache = o.hasCacheSize() ? o.getCacheSize() : DEFAULT_CACHE_SIZE;
    require(cache >= 0, "cache_size must be >= 0, got " + cache);
    boolean gpu = !o.hasUseGpu() || o.getUseGpu();
    int compile = o.hasCompileThreads() ? o.getCompileThreads() : defaultCompileThreads(cores);
    if (compile != 0) {
      threads("compile_threads", compile, "0 = compile on the training thread");
    }
    Execution execution = o.getExecution();
    if (execution == Execution.UNRECOGNIZED) {
      throw new IllegalArgumentException("tensorflow backend: execution must be one of AUTO, SUPERNET, PER_CHILD, got "
          + o.getExecutionValue());
    }
    if (execution == Execution.EXECUTION_UNSET) {
      execution = Execution.AUTO;
    }
    return new BackendSettings(intra, inter, optimizer, bn,
        bnDecay, eps, cache, gpu, compile, execution);
  }

  /**
   * None below 4 cores, else half of them, at most 8. Compiling is native work on the CPU that competes with the
   * steps: on 2 cores it made a stream of new small children slower (117% overhead instead of 92%); on 16 cores 8
   * threads beat 4 (docs/benchmarks.md).
   */
  static int defaultCompileThreads(int cores) {
    return cores < 4 ? 0 : Math.min(8, cores / 2);
  }

  /**
   * TensorFlow starts its pools' threads when a session opens, so a count is bounded: far above any machine's cores,
   * well below what would exhaust the process's threads.
   */
  static final int MAX_THREADS = 1024;

  private static void threads(String option, int value, String note) {
    if (value < 1 || value > MAX_THREADS) {
      throw new OptionException(option, "must be in [0, " + MAX_THREADS + "] (" + note + "), got " + value);
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("tensorflow backend: " + message);
    }
  }
}
