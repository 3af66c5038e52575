package dev.enas.plugins.backend.tensorflow;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.SearchSpace;
import dev.enas.plugins.backend.tensorflow.TensorFlowBackendOptions.Execution;
import dev.enas.plugins.space.micro.MicroSpaceOptions;
import dev.enas.plugins.space.micro.MicroSpaceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Measures the backend on children shaped like the ENAS search children: steps/s, images/s and achieved GFLOP/s
 * for one child repeated and for a new child every step, the new-child overhead, and peak RSS; {@code --soak N}
 * samples N small children and checks that resident memory stays flat.
 *
 * <p>Usage: {@code BackendBenchmark [--steps S] [--only micro|macro|small] [--soak N]}.
 */
public final class BackendBenchmark {

  /** One benchmark setting: a name, the input shape, the batch size and a child generator. */
  record Setting(String name, TensorShape shape, int batch, int stepFactor, Function<SplittableRandom, Graph> child) {}

  static List<Setting> settings() {
    TensorShape cifar = TensorShape.of(32, 32, 3);
    TensorShape mnist = TensorShape.of(28, 28, 1);
    return List.of(
        new Setting("micro (N=2, C=20, batch 160, 32x32x3)", cifar, 160, 1,
            rng -> BenchmarkNets.micro(cifar, 2, 20, 10, rng)),
        new Setting("macro (12 layers, C=36, batch 128, 32x32x3)", cifar, 128, 1,
            rng -> BenchmarkNets.macro(cifar, 12, 36, 10, rng)),
        new Setting("small (macro-like, 6 layers, C=16, batch 64, 28x28x1)", mnist, 64, 5,
            rng -> BenchmarkNets.macro(mnist, 6, 16, 10, rng)));
  }

  public static void main(String[] args) throws IOException {
    int steps = 8;
    String only = null;
    int soak = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--only" -> only = args[++i];
        case "--soak" -> soak = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --steps S, --only micro|macro|small, --soak N");
      }
    }
    if (soak > 0) {
      SoakResult perChild = soak(soak, 64);
      System.out.println(perChild);
      SoakResult supernet = soakOnOneSupernetGraph(soak, 64);
      System.out.println(supernet);
      if (!perChild.flat() || !supernet.flat()) {
        System.exit(1);
      }
      return;
    }
    try (Backend probe = new TensorFlowBackendProvider().create(TensorFlowBackendOptions.getDefaultInstance(), 0)) {
      System.out.println("device: " + probe.device());
    }
    for (Setting s : settings()) {
      if (only == null || s.name().startsWith(only)) {
        run(s, steps);
      }
    }
    System.out.printf(Locale.ROOT, "peak RSS %.0f MiB%n", status("VmHWM") / 1024.0);
  }

  static void run(Setting s, int baseSteps) {
    int steps = baseSteps * s.stepFactor();
    SplittableRandom data = new SplittableRandom(1);
    Batch.Images batch = TestNets.random(s.batch(), s.shape(), 10, data.nextLong());
    try (TensorFlowBackend b = (TensorFlowBackend) new TensorFlowBackendProvider()
        .create(TensorFlowBackendOptions.getDefaultInstance(), 1)) {
      SplittableRandom rng = new SplittableRandom(7);
      Graph one = s.child().apply(rng);
      long t0 = System.nanoTime();
      b.train(one, batch, 0.05);
      double firstMs = (System.nanoTime() - t0) / 1e6;
      b.train(one, batch, 0.05);
      t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        b.train(one, batch, 0.05);
      }
      double repeatMs = (System.nanoTime() - t0) / 1e6 / steps;
      double repeatGflop = 3.0 * one.flops() * s.batch() / 1e9;

      // Each new child is timed on its first step (compile + run) and on a second, cached step: the overhead of a
      // new child is then measured against that same child's own step, whatever its size.
      // A search compiles thousands of children: warm the JIT on the compile path first, as it would be.
      for (int i = 0; i < 3; i++) {
        b.train(s.child().apply(rng), batch, 0.05);
      }
      double newMs = 0;
      double ownMs = 0;
      double gflop = 0;
      long misses = b.cache().misses();
      for (int i = 0; i < steps; i++) {
        Graph child = s.child().apply(rng);
        long t1 = System.nanoTime();
        b.train(child, batch, 0.05);
        long t2 = System.nanoTime();
        b.train(child, batch, 0.05);
        long t3 = System.nanoTime();
        newMs += (t2 - t1) / 1e6;
        ownMs += (t3 - t2) / 1e6;
        gflop += 3.0 * child.flops() * s.batch() / 1e9;
      }
      long compiled = b.cache().misses() - misses;
      newMs /= steps;
      ownMs /= steps;
      double newGflop = gflop / steps;
      System.out.println("== " + s.name());
      System.out.printf(Locale.ROOT, "  child: %d nodes, %.1f k params, %.0f MFLOP/image forward%n",
          one.nodes().size(), one.parameterCount() / 1e3, one.flops() / 1e6);
      System.out.printf(Locale.ROOT, "  first step of a child (compile + run): %.0f ms%n", firstMs);
      System.out.printf(Locale.ROOT,
          "  one child repeated:     %7.1f ms/step  %5.2f steps/s  %6.0f images/s  %5.1f GFLOP/s%n",
          repeatMs, 1000 / repeatMs, s.batch() * 1000 / repeatMs, repeatGflop / (repeatMs / 1000));
      System.out.printf(Locale.ROOT,
          "  new child every step:   %7.1f ms/step  %5.2f steps/s  %6.0f images/s  %5.1f GFLOP/s  (%d compiled)%n",
          newMs, 1000 / newMs, s.batch() * 1000 / newMs, newGflop / (newMs / 1000), compiled);
      System.out.printf(Locale.ROOT,
          "  same children, cached:  %7.1f ms/step  %5.2f steps/s  %6.0f images/s  %5.1f GFLOP/s%n",
          ownMs, 1000 / ownMs, s.batch() * 1000 / ownMs, newGflop / (ownMs / 1000));
      System.out.printf(Locale.ROOT, "  new-child overhead: %+.0f%% of the child's own step; GFLOP/s new child vs "
          + "built once and repeated: %.2fx slower%n", 100 * (newMs / ownMs - 1), newMs / ownMs);
      System.out.printf(Locale.ROOT, "  RSS now %.0f MiB, peak %.0f MiB%n", status("VmRSS") / 1024.0,
          status("VmHWM") / 1024.0);
    }
  }

  /** Resident memory at each checkpoint of a soak, and whether it stayed flat after warm-up. */
  record SoakResult(Execution execution, int children, List<Long> rssKiB, long growthKiB, long limitKiB,
      double seconds) {
    boolean flat() {
      return growthKiB <= limitKiB;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "soak (%s): %d new children in %.0f s; RSS (MiB) every %d children: %s; "
          + "growth over the second half %.1f MiB (limit %.0f MiB): %s", execution, children, seconds,
          children / (rssKiB.size() - 1),
          rssKiB.stream().map(k -> Long.toString(k / 1024)).toList(), growthKiB / 1024.0, limitKiB / 1024.0,
          flat() ? "FLAT" : "GROWING");
    }
  }

  /**
   * Trains {@code children} small random hand-built children, each on a graph of its own (one new child per step,
   * cache of 16), sampling RSS every {@code children / 10}; growth from the middle samples to the last ones (medians of
   * three) must stay under {@code limitMiB} (a leak of 64 KiB per child would add 64 MiB over 1,000 children).
   */
  static SoakResult soak(int children, int limitMiB) {
    TensorShape shape = TensorShape.of(8, 8, 1);
    SplittableRandom rng = new SplittableRandom(3);
    return soak(children, limitMiB, Execution.PER_CHILD, TestNets.random(8, shape, 10, 1),
        () -> BenchmarkNets.macro(shape, 4, 8, 10, rng));
  }

  /** As {@link #soak(int, int)}, for children of a small enas-micro supernet on its one graph. */
  static SoakResult soakOnOneSupernetGraph(int children, int limitMiB) {
    SearchSpace micro = new MicroSpaceProvider().create(MicroSpaceOptions.newBuilder().setNumBlocks(3).setNumCells(1)
        .setChannels(4).setImageHeight(8).setImageWidth(8).setImageChannels(1).setNumClasses(10).build());
    SplittableRandom rng = new SplittableRandom(3);
    return soak(children, limitMiB, Execution.SUPERNET, TestNets.random(8, TensorShape.of(8, 8, 1), 10, 1),
        () -> micro.child(micro.schema().uniform(rng)));
  }

  private static SoakResult soak(int children, int limitMiB, Execution execution, Batch batch, Supplier<Graph> next) {
    List<Long> rss = new ArrayList<>();
    int every = Math.max(1, children / 10);
    long t0 = System.nanoTime();
    try (TensorFlowBackend b = (TensorFlowBackend) new TensorFlowBackendProvider()
        .create(TensorFlowBackendOptions.newBuilder().setExecution(execution).build(), 1)) {
      rss.add(status("VmRSS"));
      for (int i = 1; i <= children; i++) {
        b.train(next.get(), batch, 0.05);
        if (i % every == 0) {
          System.gc();
          rss.add(status("VmRSS"));
        }
      }
    }
    // Growth over the second half: allocator and heap settle during the first half; a leak keeps climbing, so the
    // median of the last three samples rises with it. A median, not the highest sample: between steps the RSS of a
    // supernet graph's process sometimes stands ~100 MiB higher for one sample and is back at the next (what the C
    // allocator keeps after a step's peak depends on the order of its frees), which is not a leak.
    int mid = rss.size() / 2;
    long base = median(rss.subList(mid - 1, mid + 2));
    long end = median(rss.subList(rss.size() - 3, rss.size()));
    return new SoakResult(execution, children, rss, end - base, limitMiB * 1024L, (System.nanoTime() - t0) / 1e9);
  }

  private static long median(List<Long> three) {
    List<Long> sorted = new ArrayList<>(three);
    java.util.Collections.sort(sorted);
    return sorted.get(1);
  }

  /** A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1 where there is no such file. */
  static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
