package dev.enas.plugins.controller.reinforce;

import dev.enas.api.controller.Controller;
import dev.enas.api.controller.Sample;
import dev.enas.api.controller.ScoredSample;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.plugins.controller.reinforce.ReinforceControllerOptions.Preset;
import dev.enas.support.schemas.TestSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how long the {@code reinforce} controller takes to sample one architecture (and, for
 * reference, one update of 10 samples) on the micro, 12-layer macro and recurrent schemas, each with
 * its code preset and with the paper preset. Not a test: run it as a main class from the module
 * directory after {@code mvn -q install} (argument: rounds, default 5; the best round is reported):
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/bench.cp) \
 *     dev.enas.plugins.controller.reinforce.SamplingBenchmark
 * </pre>
 */
public final class SamplingBenchmark {
  private static long sink;

  private SamplingBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    record Case(String name, DecisionSchema schema, Preset preset) {}
    List<Case> cases = List.of(
        new Case("micro (40 tokens)", TestSchemas.micro(), Preset.MICRO_CODE),
        new Case("micro (40 tokens)", TestSchemas.micro(), Preset.PAPER),
        new Case("macro 12 layers (78 tokens)", TestSchemas.macro(12), Preset.MACRO_CODE),
        new Case("macro 12 layers (78 tokens)", TestSchemas.macro(12), Preset.PAPER),
        new Case("rnn 8 nodes (16 tokens)", TestSchemas.rnn(8), Preset.LM_CODE),
        new Case("rnn 8 nodes (16 tokens)", TestSchemas.rnn(8), Preset.PAPER));
    System.out.printf("java %s, %s%n", System.getProperty("java.version"), System.getProperty("os.arch"));
    System.out.printf("%-30s %-11s %7s %14s %18s%n", "schema", "preset", "hidden", "us/sample", "us/update(10)");
    for (Case c : cases) {
      ReinforceControllerOptions options = ReinforceControllerOptions.newBuilder().setPreset(c.preset()).build();
      Controller controller = new ReinforceControllerProvider().create(options, c.schema(), 7);
      double sampleUs = Double.MAX_VALUE;
      double updateUs = Double.MAX_VALUE;
      for (int round = 0; round < rounds; round++) {
        // The first rounds warm the JIT up; the best round is reported.
        sampleUs = Math.min(sampleUs, timeSamples(controller, 2000));
        updateUs = Math.min(updateUs, timeUpdates(controller, 100));
      }
      System.out.printf("%-30s %-11s %7d %14.1f %18.1f%n", c.name(), c.preset(),
          ReinforceSettings.resolve(options).hiddenSize(), sampleUs, updateUs);
    }
    if (sink == 42) {
      System.out.println();
    }
  }

  private static double timeSamples(Controller controller, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += controller.sample().architecture().hashCode();
    }
    return (System.nanoTime() - start) / 1e3 / n;
  }

  private static double timeUpdates(Controller controller, int n) {
    List<ScoredSample> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Sample s = controller.sample();
      batch.add(new ScoredSample(s, (i % 3) / 3.0));
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += (long) controller.update(batch).loss();
    }
    return (System.nanoTime() - start) / 1e3 / n;
  }
}
