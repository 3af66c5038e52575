package dev.enas.support.backend;

import dev.enas.api.backend.Backend;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.TensorStoreFile;
import java.io.IOException;
import java.nio.file.Path;

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

  /** @param id the backend's plugin id, recorded in the files it saves */
  protected StoreBackedBackend(String id, long seed) {
    this.id = id;
    this.weights = new SharedWeights(seed);
  }

  @Override
  public synchronized void save(Path file, String spaceId) throws IOException {
    checkOpen();
    TensorStoreFile.save(file, spaceId, id, step, weights);
  }

  /** Reads a tensor store written by any backend: weights, momentum slots and batch-norm statistics all move. */
  @Override
  public synchronized void load(Path file, String spaceId) throws IOException {
    checkOpen();
    TensorStoreFile.Loaded loaded = TensorStoreFile.load(file, spaceId);
    weights.replaceAll(loaded.entries());
    step = loaded.step();
  }

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
