package dev.enas.api.backend;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Runs the network IR: trains and evaluates children on one store of shared weights keyed by
 * parameter key. It knows nothing of the space that produced a graph.
 */
public interface Backend extends AutoCloseable {

  /** The device it computes on, e.g. {@code CPU (2 threads)} or {@code GPU:0 NVIDIA H100}. */
  String device();

  /** The op types it implements; the host refuses a space that needs others. */
  Set<Class<? extends Op>> supportedOps();

  /** One optimiser step of the child's weights (and only those) on a batch. */
  TrainResult train(Graph child, Batch batch, double learningRate);

  /**
   * One optimiser step, as {@link #train(Graph, Batch, double)}, knowing how far training has come: ops whose
   * strength follows the schedule ({@link Op.DropPath}) use it. This default ignores it and calls the
   * three-argument {@code train}.
   *
   * @param progress the fraction of training done, in [0, 1]: step / total steps
   */
  default TrainResult train(Graph child, Batch batch, double learningRate, double progress) {
    return train(child, batch, learningRate);
  }

  /** What an announced child will be used for. */
  enum Use {
    /** {@link #train} steps. */
    TRAINING,
    /** {@link #evaluate} calls. */
    EVALUATION
  }

  /**
   * Says that {@code child} will be trained or evaluated soon, after the children already announced, on batches
   * like {@code like}: a backend that compiles per child may start on it in the background. Changes no weight and
   * no result, only when work is done; a child that is never used costs only the work. This default does nothing.
   */
  default void prepare(Graph child, Batch like, Use use) {}

  /**
   * How many children ahead of the one in use it is worth announcing with {@link #prepare}; 0 (this default)
   * when announcing gains nothing.
   */
  default int prepareAhead() {
    return 0;
  }

  /**
   * Starts recording where the time of each following {@link #train} step goes, until {@link #stopProfile}
   * (`enas bench backend --profile`). Recording may slow the steps; it changes no result. This default refuses.
   *
   * @throws UnsupportedOperationException when the backend cannot profile
   */
  default void startProfile() {
    throw new UnsupportedOperationException("this backend cannot profile its steps");
  }

  /** Stops recording and returns what {@link #startProfile} recorded. */
  default StepProfile stopProfile() {
    throw new UnsupportedOperationException("this backend cannot profile its steps");
  }

  /**
   * Writes a trained child, with the weights the backend holds now, in its engine's own serving format into the new
   * directory {@code dir} (the TensorFlow backend: a SavedModel with a {@code serving_default} signature), for
   * batches like {@code like}. This default refuses: a backend without such a format leaves export to ONNX, which the
   * host writes from the IR for any backend.
   *
   * @throws UnsupportedOperationException when the engine has no serving format of its own
   */
  default void exportModel(Graph child, Batch like, Path dir) throws IOException {
    throw new UnsupportedOperationException("this backend has no serving format of its own; export to ONNX");
  }

  /** Evaluates a child on a batch without changing any weight. */
  Evaluation evaluate(Graph child, Batch batch);

  /**
   * Averaged SGD (Polyak averaging, as enas_lm's fixed training and AWD-LSTM use it): from now on the backend keeps
   * the running mean of every trained tensor over the training steps, starting from the weights it holds now. The
   * means are saved with the weights (a checkpoint resumes them); {@link #swapAveraged} puts them in use. This
   * default refuses.
   *
   * @throws UnsupportedOperationException when the backend cannot average
   */
  default void startAveraging() {
    throw new UnsupportedOperationException("this backend cannot average its weights (averaged SGD)");
  }

  /** Whether {@link #startAveraging} has been called (or a file saved while averaging was loaded). */
  default boolean averaging() {
    return false;
  }

  /**
   * Exchanges the trained weights with their running means: after one call, evaluation and {@link #save} use the
   * averaged model; a second call restores the weights training goes on with. Training while swapped is refused.
   *
   * @throws IllegalStateException when not {@link #averaging}
   */
  default void swapAveraged() {
    throw new IllegalStateException("the backend is not averaging its weights: call startAveraging first");
  }

  /**
   * Writes shared weights and optimiser state to a file atomically (a temporary file, then a rename),
   * as a {@code dev.enas.proto.TensorStore} tagged with the space id.
   */
  void save(Path file, String spaceId) throws IOException;

  /** Reads what {@link #save} wrote; a truncated file, or one written for another space, is a clear error. */
  void load(Path file, String spaceId) throws IOException;

  @Override
  void close();
}
