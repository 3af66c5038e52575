package dev.enas.plugins.backend.pytorch;

import dev.enas.api.plugin.OptionException;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.BatchNormEval;
import dev.enas.plugins.backend.pytorch.PyTorchBackendOptions.ClipMode;
import dev.enas.support.weights.OptimizerSettings;

/**
 * The backend's options with every default filled in and every value checked; built once from the options message so
 * the rest of the code never sees an unset field. The defaults and ranges are the TensorFlow backend's.
 */
record BackendSettings(
    int intraOpThreads,
    int interOpThreads,
    double momentum,
    boolean nesterov,
    double weightDecay,
    ClipMode clipMode,
    double clipBound,
    BatchNormEval bnEval,
    double bnDecay,
    double bnEpsilon,
    boolean useGpu) {

  static final double DEFAULT_MOMENTUM = 0.9;
  static final double DEFAULT_WEIGHT_DECAY = 1e-4;
  static final double DEFAULT_CLIP_BOUND = 5.0;
  static final double DEFAULT_BN_DECAY = 0.9;
  static final double DEFAULT_BN_EPSILON = 1e-5;
  /** libtorch starts its pool threads eagerly: a count is bounded well below what would exhaust the process. */
  static final int MAX_THREADS = 1024;

  /** The child optimiser's part of these settings. */
  OptimizerSettings optimizer() {
    OptimizerSettings.Clip clip = switch (clipMode) {
      case GLOBAL_NORM -> OptimizerSettings.Clip.GLOBAL_NORM;
      case PER_TENSOR_NORM -> OptimizerSettings.Clip.PER_TENSOR_NORM;
      default -> OptimizerSettings.Clip.NONE;
    };
    return new OptimizerSettings(momentum, nesterov, weightDecay, clip, clipBound);
  }

  /** Fills defaults and validates; a bad value is an {@link OptionException} naming the option and its range. */
  static BackendSettings from(PyTorchBackendOptions o) {
    int cores = Runtime.getRuntime().availableProcessors();
    int intra = o.hasIntraOpThreads() && o.getIntraOpThreads() != 0 ? o.getIntraOpThreads() : cores;
    int inter = o.hasInterOpThreads() && o.getInterOpThreads() != 0 ? o.getInterOpThreads() : 1;
    threads("intra_op_threads", intra, "0 = core count");
    threads("inter_op_threads", inter, "0 = 1");
    double momentum = o.hasMomentum() ? o.getMomentum() : DEFAULT_MOMENTUM;
    require(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1), got " + momentum);
    double decay = o.hasWeightDecay() ? o.getWeightDecay() : DEFAULT_WEIGHT_DECAY;
    require(decay >= 0 && Double.isFinite(decay), "weight_decay", "must be a finite value >= 0, got " + decay);
    ClipMode clip = o.getClipMode();
    if (clip == ClipMode.UNRECOGNIZED) {
      throw new OptionException("clip_mode", "must be one of GLOBAL_NORM, PER_TENSOR_NORM, NO_CLIPPING, got "
          + o.getClipModeValue());
    }
    if (clip == ClipMode.CLIP_MODE_UNSET) {
      clip = ClipMode.GLOBAL_NORM;
    }
    double bound = o.hasClipBound() ? o.getClipBound() : DEFAULT_CLIP_BOUND;
    require(bound > 0 && Double.isFinite(bound), "clip_bound", "must be a finite value > 0, got " + bound);
    BatchNormEval bn = o.getBnEval();
    if (bn == BatchNormEval.UNRECOGNIZED) {
      throw new OptionException("bn_eval", "must be one of MOVING_AVERAGES, BATCH_STATISTICS, got "
          + o.getBnEvalValue());
    }
    if (bn == BatchNormEval.BATCH_NORM_EVAL_UNSET) {
      bn = BatchNormEval.MOVING_AVERAGES;
    }
    double bnDecay = o.hasBnDecay() ? o.getBnDecay() : DEFAULT_BN_DECAY;
    require(bnDecay >= 0 && bnDecay < 1, "bn_decay", "must be in [0, 1), got " + bnDecay);
    double eps = o.hasBnEpsilon() ? o.getBnEpsilon() : DEFAULT_BN_EPSILON;
    require(eps > 0 && Double.isFinite(eps), "bn_epsilon", "must be a finite value > 0, got " + eps);
    boolean gpu = !o.hasUseGpu() || o.getUseGpu();
    return new BackendSettings(intra, inter, momentum, !o.hasNesterov() || o.getNesterov(), decay, clip, bound, bn,
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
