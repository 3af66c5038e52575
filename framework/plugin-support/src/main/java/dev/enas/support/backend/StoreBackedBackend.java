package dev.enas.support.backend;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.StepProfile;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Op;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.TensorStoreFile;
import dev.enas.support.weights.WeightAverages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * What every backend that keeps its weights in the shared Java-side store has in common: the store, the step counter
 * that seeds dropout masks and is saved with the weights, save and load in the backend-independent tensor-store
 * format, and the closed state. Subclasses synchronise their own steps on {@code this}, as these methods do.
 */
public abstract class StoreBackedBackend implements Backend {
  private final String id;
  protected final SharedWeights weights;
  /** Training steps taken, restored by {@link #load}. */
  protected long step;
  private boolean closed;
  /** Averaged SGD's running means, from {@link #startAveraging} (or a loaded file that had them); null before. */
  private WeightAverages averages;
  /** Set while profiling: the training steps record their phases and ops in it. */
  protected PhaseClock profile;

  /** @param id the backend's plugin id, recorded in the files it saves */
  protected StoreBackedBackend(String id, long seed) {
    this.id = id;
    this.weights = new SharedWeights(seed);
  }

  /** Every op of the IR. */
  @Override
  public Set<Class<? extends Op>> supportedOps() {
    return Op.kinds();
  }

  /**
   * One step without a training schedule: drop-path runs at its full rate (progress 1), so a caller that does not
   * track progress still gets the regularisation its space asked for.
   */
  @Override
  public TrainResult train(Graph child, Batch batch, double learningRate) {
    return train(child, batch, learningRate, 1.0);
  }

  /** The checks every training step starts with: the backend is open, the learning rate and progress are valid. */
  protected void checkStep(double learningRate, double progress) {
    checkOpen();
    if (averages != null && averages.swapped()) {
      throw new IllegalStateException("the averaged weights are in use (swapAveraged): swap back before training");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be a finite value >= 0, got " + learningRate);
    }
    if (!(progress >= 0 && progress <= 1)) {
      throw new IllegalArgumentException("training progress must be in [0, 1] (step / total steps), got " + progress);
    }
  }

  @Override
  public synchronized void save(Path file, String spaceId) throws IOException {
    checkOpen();
    // while swapped, the averaged model is what is saved, as plain weights
    TensorStoreFile.save(file, spaceId, id, step, weights, averages != null && !averages.swapped() ? averages : null);
  }

  /** Ends a training step: counts it and, under averaged SGD, folds the updated weights into the running means. */
  protected void stepDone() {
    step++;
    if (averages != null) {
      averages.update(weights);
    }
  }

  @Override
  public synchronized void startAveraging() {
    checkOpen();
    if (averages != null) {
      throw new IllegalStateException("the backend is averaging its weights already");
    }
    averages = WeightAverages.start(weights);
  }

  @Override
  public synchronized boolean averaging() {
    return averages != null;
  }

  @Override
  public synchronized void swapAveraged() {
    checkOpen();
    if (averages == null) {
      throw new IllegalStateException("the backend is not averaging its weights: call startAveraging first");
    }
    averages.swap(weights);
  }

  /** Reads a tensor store written by any backend: weights, momentum slots and batch-norm statistics all move. */
  @Override
  public synchronized void load(Path file, String spaceId) throws IOException {
    checkOpen();
    TensorStoreFile.Loaded loaded = TensorStoreFile.load(file, spaceId);
    weights.replaceAll(loaded.entries());
    step = loaded.step();
    averages = loaded.averages();
  }

  @Override
  public synchronized void startProfile() {
    checkOpen();
    profile = new PhaseClock();
  }

  @Override
  public synchronized StepProfile stopProfile() {
    if (profile == null) {
      throw new IllegalStateException("stopProfile without startProfile");
    }
    PhaseClock p = profile;
    profile = null;
    return p.result(profileNote());
  }

  /** How this backend's profile was taken: what the op times are, what recording costs. */
  protected abstract String profileNote();

  /** The shared store, for tests and tools. */
  public SharedWeights weights() {
    return weights;
  }

  public long step() {
    return step;
  }

  protected void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the " + id + " backend is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Frees what the engine holds; called once, by the first {@link #close}. */
  protected abstract void release();
}
