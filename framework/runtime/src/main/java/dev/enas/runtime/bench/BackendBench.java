package dev.enas.runtime.bench;

import dev.enas.api.backend.Backend;
import dev.enas.api.backend.StepProfile;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.schema.Architecture;
import dev.enas.api.space.SearchSpace;
import dev.enas.runtime.search.Announcer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures a backend on a space's children: steps/s and images/s when one child repeats, and when a new
 * child is sampled every step (as in the ENAS shared phase, announcing the next children to the backend); the
 * overhead of a new child (the stream's time per step against the same children's own steps once compiled);
 * achieved GFLOP/s (forward FLOPs x 3 for forward and backward); peak RSS.
 */
public final class BackendBench {

  /** The measured numbers of one setting. */
  public record Report(String setting, String device, String repeatedArchitecture, long repeatedFlopsPerExample,
      int batch, int steps, int ahead, double repeatStepMs,
      double newChildStepMs, double ownStepMs, double repeatImagesPerSec, double newChildImagesPerSec, double repeatGflops,
      double newChildGflops, double overheadPct, long peakRssMiB, long rssStartMiB, long rssEndMiB) {

    public String format() {
      return String.format(Locale.ROOT, """
          setting            %s
          device             %s
          repeated child     %s
          child FLOPs        %d forward per example (a step counts 3x: forward and backward)
          batch              %d, %d timed steps each
          look-ahead         %d children announced to the backend
          one child repeated %.1f ms/step  %.2f steps/s  %.1f examples/s  %.1f GFLOP/s
          new child per step %.1f ms/step  %.2f steps/s  %.1f examples/s  %.1f GFLOP/s
          same children, own step %.1f ms/step
          new-child overhead %.1f%% of the child's own step
          RSS                start %d MiB, end %d MiB, peak %d MiB
          """, setting, device, repeatedArchitecture,
          repeatedFlopsPerExample, batch, steps, ahead, repeatStepMs, 1000 / repeatStepMs, repeatImagesPerSec, repeatGflops,
          newChildStepMs, 1000 / newChildStepMs, newChildImagesPerSec, newChildGflops, ownStepMs, overheadPct,
          rssStartMiB, rssEndMiB, peakRssMiB);
    }
  }

  private BackendBench() {}

  /** Runs {@code warmup} untimed then {@code steps} timed steps of each mode; the repeated child is sampled. */
  public static Report run(String setting, SearchSpace space, Backend backend, int batch, int steps, int warmup, long seed) {
    return run(setting, space, backend, batch, steps, warmup, seed, null);
  }

  /**
   * Runs {@code warmup} untimed then {@code steps} timed steps of each mode. The repeated child is {@code fixed} when
   * given (so that a reference outside the JVM can train the same architecture: {@code enas arch show --ir-json}),
   * else the first one sampled; the stream of new children is sampled either way.
   */
  public static Report run(String setting, SearchSpace space, Backend backend, int batch, int steps, int warmup, long seed,
      Architecture fixed) {
    UniformSampler sampler = new UniformSampler(space.schema(), seed);
    Architecture firstArch = sampler.next();
    if (fixed != null) {
      firstArch = fixed;
    }
    Graph first = space.child(firstArch);
    Batch data = randomBatch(first, batch, seed);
    // A language model's child is one step of the sequence: its FLOPs count once per token.
    long perExample = data instanceof Batch.Tokens ? SEQUENCE_LENGTH : 1;
    long rssStart = PeakMemory.rssMiB();

    for (int i = 0; i < warmup; i++) {
      backend.train(first, data, 0.01);
    }
    long flopsRepeat = first.flops() * 3L * batch * perExample;
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      backend.train(first, data, 0.01);
    }
    double repeatMs = (System.nanoTime() - t0) / 1e6 / steps;

    int ahead = Math.max(0, backend.prepareAhead());
    for (int i = 0; i < warmup; i++) {
      backend.train(space.child(sampler.next()), data, 0.01);
    }
    // A stream of new children, one step each, as in the shared phase of a search: the children after the current
    // one are announced to the backend (Backend#prepare) the way SearchRun announces them.
    List<Graph> children = new ArrayList<>();
    long flopsNew = 0;
    for (int i = 0; i < steps; i++) {
      Graph child = space.child(sampler.next());
      children.add(child);
      flopsNew += child.flops() * 3L * batch * perExample;
    }
    Announcer announcer = new Announcer(backend, Backend.Use.TRAINING);
    long t1 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      announcer.before(i, children, j -> data);
      backend.train(children.get(i), data, 0.01);
    }
    double newMs = (System.nanoTime() - t1) / 1e6 / steps;
    // The same children's own step: each trained again once compiled, so differences in cost between children
    // cancel out of the overhead.
    double ownTotalMs = 0;
    for (Graph child : children) {
      backend.train(child, data, 0.01);
      long s0 = System.nanoTime();
      backend.train(child, data, 0.01);
      ownTotalMs += (System.nanoTime() - s0) / 1e6;
    }
    double ownMs = ownTotalMs / steps;
    double repeatGflops = flopsRepeat / (repeatMs * 1e6);
    double newGflops = flopsNew / (double) steps / (newMs * 1e6);
    double overhead = 100 * (newMs / ownMs - 1);
    return new Report(setting, backend.device(), space.format(firstArch), first.flops(), batch, steps, ahead, repeatMs, newMs, ownMs, batch * 1000 / repeatMs,
        batch * 1000 / newMs, repeatGflops, newGflops, overhead, PeakMemory.peakRssMiB(), rssStart, PeakMemory.rssMiB());
  }

  /**
   * Trains {@code steps} new children (after one untimed) while the backend records where each step's time goes: the
   * stream of the shared phase, as the bench's "new child per step" line measures it. Backends time every other step
   * by phase and record their engine's ops on the others, so at least 2 steps.
   */
  public static StepProfile profile(SearchSpace space, Backend backend, int batch, int steps, long seed) {
    UniformSampler sampler = new UniformSampler(space.schema(), seed + 1);
    Graph first = space.child(sampler.next());
    Batch data = randomBatch(first, batch, seed);
    backend.train(first, data, 0.01);
    backend.startProfile();
    StepProfile p;
    try {
      for (int i = 0; i < steps; i++) {
        backend.train(space.child(sampler.next()), data, 0.01);
      }
    } finally {
      // Stopped even when a step failed, so the backend does not go on recording.
      p = backend.stopProfile();
    }
    if (p.steps() + p.opSteps() != steps) {
      throw new IllegalStateException("the backend recorded " + (p.steps() + p.opSteps()) + " steps of " + steps);
    }
    return p;
  }

  /** The profile as two tables, per step and as a share: phases (which add up to the step), then op types. */
  public static String format(StepProfile p) {
    StringBuilder b = new StringBuilder();
    double step = p.phases().stream().mapToDouble(StepProfile.Row::millis).sum() / p.steps();
    b.append(String.format(Locale.ROOT, "profile            %d steps of new children timed by phase, %.1f ms/step; ops "
        + "recorded on %d others%n", p.steps(), step, p.opSteps()));
    b.append(String.format(Locale.ROOT, "  %-40s %10s %7s %10s%n", "phase", "ms/step", "share", "calls/step"));
    for (StepProfile.Row r : p.phases()) {
      b.append(row(r, p.steps(), step));
    }
    if (!p.ops().isEmpty()) {
      double ops = p.ops().stream().mapToDouble(StepProfile.Row::millis).sum() / p.opSteps();
      b.append(String.format(Locale.ROOT, "  %-40s %10s %7s %10s   (sum of ops %.1f ms/step)%n", "op type", "ms/step",
          "share", "ops/step", ops));
      double shown = 0;
      for (StepProfile.Row r : p.ops()) {
        // The largest types until 95% of the op time is shown, at most 20 of them.
        if (shown >= 0.95 * ops * p.opSteps() || p.ops().indexOf(r) >= 20) {
          break;
        }
        b.append(row(r, p.opSteps(), ops));
        shown += r.millis();
      }
    }
    b.append("  ").append(p.note()).append(System.lineSeparator());
    return b.toString();
  }

  private static String row(StepProfile.Row r, int steps, double totalPerStep) {
    double perStep = r.millis() / steps;
    return String.format(Locale.ROOT, "  %-40s %10.1f %6.1f%% %10.1f%n", r.name(), perStep,
        100 * perStep / totalPerStep, (double) r.count() / steps);
  }

  /** Tokens per sequence of a language model's batch: the authors' unrolled length. */
  static final int SEQUENCE_LENGTH = 35;

  /** Random images, or random token sequences of {@link #SEQUENCE_LENGTH}, as the child's inputs take. */
  private static Batch randomBatch(Graph g, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int classes = g.shapes().get(g.outputs().get(0)).channels();
    for (Node.OpNode in : g.inputNodes()) {
      Op.Input op = (Op.Input) in.op();
      if (op.name().equals("images")) {
        float[] px = new float[n * (int) op.shape().size()];
        for (int i = 0; i < px.length; i++) {
          px[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
          labels[i] = r.nextInt(classes);
        }
        return new Batch.Images(n, op.shape(), px, labels);
      }
      if (op.name().equals("tokens")) {
        int[] ids = new int[n * (SEQUENCE_LENGTH + 1)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = r.nextInt(classes);
        }
        int[] inputs = new int[n * SEQUENCE_LENGTH];
        int[] targets = new int[n * SEQUENCE_LENGTH];
        for (int i = 0; i < n; i++) {
          System.arraycopy(ids, i * (SEQUENCE_LENGTH + 1), inputs, i * SEQUENCE_LENGTH, SEQUENCE_LENGTH);
          System.arraycopy(ids, i * (SEQUENCE_LENGTH + 1) + 1, targets, i * SEQUENCE_LENGTH, SEQUENCE_LENGTH);
        }
        return new Batch.Tokens(n, SEQUENCE_LENGTH, inputs, targets);
      }
    }
    throw new IllegalArgumentException("the space's children have neither an 'images' nor a 'tokens' input; backend "
        + "bench covers image classifiers and language models");
  }
}
