package dev.enas.plugins.backend.pytorch;

import dev.enas.api.plugin.OptionException;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.BatchNormEval;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.ClipMode;
import dev.enas.support.weights.MovingAverages;
import dev.enas.support.weights.OptimizerSettings;

/**
 * The backend's options with every default filled in and every value checked; built once from the options message so
 * the rest of the code never sees an unset field. The defaults and ranges are the TensorFlow backend's.
 */
record BackendSettings(
    int intraOpThreads,
    int interOpThreads,
    OptimizerSettings optimizer,
    BatchNormEval bnEval,
    double bnDecay,
    double bnEpsilon,
    boolean useGpu) {

  /** libtorch starts its pool threads eagerly: a count is bounded well below what would exhaust the process. */
  static final int MAX_THREADS = 1024;

  /** Fills defaults and validates; a bad value is an {@link OptionException} naming the option and its range. */
  static BackendSettings from(PyTorchBackendOptions o) {
    int cores = Runtime.getRuntime().availableProcessors();
    int intra = o.hasIntraOpThreads() && o.getIntraOpThreads() != 0 ? o.getIntraOpThreads() : cores;
    int inter = o.hasInterOpThreads() && o.getInterOpThreads() != 0 ? o.getInterOpThreads() : 1;
    threads("intra_op_threads", intra, "0 = core count");
    threads("inter_op_threads", inter, "0 = 1");
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
      throw new OptionException("bn_eval", "must be one of MOVING_AVERAGES, BATCH_STATISTICS, got "
          + o.getBnEvalValue());
    }
    if (bn == BatchNormEval.BATCH_NORM_EVAL_UNSET) {
      bn = BatchNormEval.MOVING_AVERAGES;
    }
    double bnDecay = MovingAverages.decay(o.hasBnDecay() ? o.getBnDecay() : null);
    double eps = MovingAverages.epsilon(o.hasBnEpsilon() ? o.getBnEpsilon() : null);
    boolean gpu = !o.hasUseGpu() || o.getUseGpu();
    return new BackendSettings(intra, inter, optimizer, bn,
        bnDecay, eps, gpu);
  }

  private static void threads(String option, int value, String note) {
    if (value < 1 || value > MAX_THREADS) {
      throw new OptionException(option, "must be in [0, " + MAX_THREADS + "] (" + note + "), got " + value);
    }
  }

  private static void require(boolean ok, String option, String problem) {
    if (!ok) {
      throw new OptionException(option, problem);
    }
  }
}
