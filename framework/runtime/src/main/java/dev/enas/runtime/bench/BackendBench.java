package dev.enas.runtime.bench;

import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.schema.Architecture;
import dev.enas.api.space.SearchSpace;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures a backend on a space's children: steps/s and images/s when one child repeats, and when a new
 * child is sampled every step (as in the ENAS shared phase); the overhead of a new child (its first step
 * against its own next step); achieved GFLOP/s (forward FLOPs x 3 for forward and backward); peak RSS.
 */
public final class BackendBench {

  /** The measured numbers of one setting. */
  public record Report(String setting, String device, int batch, int steps, double repeatStepMs, double newChildStepMs,
      double ownStepMs, double repeatImagesPerSec, double newChildImagesPerSec, double repeatGflops,
      double newChildGflops, double overheadPct, long peakRssMiB, long rssStartMiB, long rssEndMiB) {

    public String format() {
      return String.format(Locale.ROOT, """
          setting            %s
          device             %s
          batch              %d, %d timed steps each
          one child repeated %.1f ms/step  %.2f steps/s  %.1f images/s  %.1f GFLOP/s
          new child per step %.1f ms/step  %.2f steps/s  %.1f images/s  %.1f GFLOP/s
          same children, next step %.1f ms/step
          new-child overhead %.1f%% of the child's own step
          RSS                start %d MiB, end %d MiB, peak %d MiB
          """, setting, device, batch, steps, repeatStepMs, 1000 / repeatStepMs, repeatImagesPerSec, repeatGflops,
          newChildStepMs, 1000 / newChildStepMs, newChildImagesPerSec, newChildGflops, ownStepMs, overheadPct,
          rssStartMiB, rssEndMiB, peakRssMiB);
    }
  }

  private BackendBench() {}

  /** Runs {@code warmup} untimed then {@code steps} timed steps of each mode. */
  public static Report run(String setting, SearchSpace space, Backend backend, int batch, int steps, int warmup, long seed) {
    UniformSampler sampler = new UniformSampler(space.schema(), seed);
    Graph first = space.child(sampler.next());
    TensorShape shape = imageShape(first);
    int classes = first.shapes().get(first.outputs().get(0)).channels();
    Batch data = randomBatch(batch, shape, classes, seed);
    long rssStart = PeakMemory.rssMiB();

    for (int i = 0; i < warmup; i++) {
      backend.train(first, data, 0.01);
    }
    long flopsRepeat = first.flops() * 3L * batch;
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      backend.train(first, data, 0.01);
    }
    double repeatMs = (System.nanoTime() - t0) / 1e6 / steps;

    for (int i = 0; i < warmup; i++) {
      backend.train(space.child(sampler.next()), data, 0.01);
    }
    // Each sampled child's first step (graph built for it) against its own next step (compiled graph reused):
    // the difference is the cost of a new child, free of the differences in cost between children.
    long flopsNew = 0;
    double firstMs = 0;
    double againMs = 0;
    for (int i = 0; i < steps; i++) {
      Architecture a = sampler.next();
      Graph child = space.child(a);
      flopsNew += child.flops() * 3L * batch;
      long s0 = System.nanoTime();
      backend.train(child, data, 0.01);
      long s1 = System.nanoTime();
      backend.train(child, data, 0.01);
      long s2 = System.nanoTime();
      firstMs += (s1 - s0) / 1e6;
      againMs += (s2 - s1) / 1e6;
    }
    double newMs = firstMs / steps;
    double ownMs = againMs / steps;
    double repeatGflops = flopsRepeat / (repeatMs * 1e6);
    double newGflops = flopsNew / (double) steps / (newMs * 1e6);
    double overhead = 100 * (newMs / ownMs - 1);
    return new Report(setting, backend.device(), batch, steps, repeatMs, newMs, ownMs, batch * 1000 / repeatMs,
        batch * 1000 / newMs, repeatGflops, newGflops, overhead, PeakMemory.peakRssMiB(), rssStart, PeakMemory.rssMiB());
  }

  private static TensorShape imageShape(Graph g) {
    for (Node.OpNode in : g.inputNodes()) {
      Op.Input op = (Op.Input) in.op();
      if (op.name().equals("images")) {
        return op.shape();
      }
    }
    throw new IllegalArgumentException("the space's children have no 'images' input; backend bench covers image spaces");
  }

  private static Batch randomBatch(int n, TensorShape shape, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[n * (int) shape.size()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextGaussian();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(classes);
    }
    return new Batch.Images(n, shape, px, labels);
  }
}
