package dev.enas.plugins.backend.tensorflow;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Compiles children the caller announced ahead of their first step on a small pool of background threads, so that
 * building a new child's graph, gradients, session and executor overlaps the steps of the children before it. A
 * child is taken out once, by the training thread; announced children that are never taken are closed when more
 * than {@link #capacity()} wait, and at {@link #close()}.
 */
final class ChildCompiler implements AutoCloseable {
  private final ExecutorService pool;
  private final int threads;
  private final int capacity;
  private final LinkedHashMap<String, CompletableFuture<CompiledChild>> pending = new LinkedHashMap<>();
  private long taken;
  private boolean closed;

  ChildCompiler(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("compile threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    // Enough waiting children to keep every thread busy one step ahead, and no more: each holds a native graph.
    this.capacity = 2 * threads;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "enas-tf-compile-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = Executors.newFixedThreadPool(threads, factory);
  }

  /** How many children it is worth announcing ahead: one per thread and one being taken. */
  int depth() {
    return threads + 1;
  }

  int capacity() {
    return capacity;
  }

  /** Starts compiling {@code key} unless it is already waiting; the eldest waiting child makes room if needed. */
  synchronized void submit(String key, Supplier<CompiledChild> compile) {
    if (closed || pending.containsKey(key)) {
      return;
    }
    pending.put(key, CompletableFuture.supplyAsync(compile, pool));
    Iterator<Map.Entry<String, CompletableFuture<CompiledChild>>> it = pending.entrySet().iterator();
    while (pending.size() > capacity && it.hasNext()) {
      CompletableFuture<CompiledChild> eldest = it.next().getValue();
      it.remove();
      discard(eldest);
    }
  }

  synchronized boolean isPending(String key) {
    return pending.containsKey(key);
  }

  /**
   * The compiled child for {@code key}, waiting for it if it is still being built; empty when it was never announced
   * or its compilation failed (the caller then compiles it itself, and reports the error from there).
   */
  Optional<CompiledChild> take(String key) {
    CompletableFuture<CompiledChild> f;
    synchronized (this) {
      f = pending.remove(key);
    }
    if (f == null) {
      return Optional.empty();
    }
    try {
      CompiledChild c = f.get();
      synchronized (this) {
        taken++;
      }
      return Optional.of(c);
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard(f);
      throw new IllegalStateException("interrupted while waiting for a child being compiled", e);
    }
  }

  /** How many announced children were taken compiled. */
  synchronized long taken() {
    return taken;
  }

  /** Closes the child once it is built, whatever thread finishes it; a failed build has nothing to close. */
  private static void discard(CompletableFuture<CompiledChild> f) {
    f.thenAccept(CompiledChild::close);
  }

  /** Stops compiling, waits for the builds under way and closes every child not taken. */
  @Override
  public void close() {
    List<CompletableFuture<CompiledChild>> left;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      left = new ArrayList<>(pending.values());
      pending.clear();
    }
    // Queued builds never start; the running ones finish (native calls cannot be interrupted) and are closed.
    pool.shutdownNow();
    for (CompletableFuture<CompiledChild> f : left) {
      discard(f);
    }
    try {
      pool.awaitTermination(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
