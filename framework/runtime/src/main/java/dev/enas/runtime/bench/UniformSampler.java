package dev.enas.runtime.bench;

import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.SplittableRandom;

/** Uniform architectures for benchmarks, independent of any controller plugin. */
final class UniformSampler {
  private final DecisionSchema schema;
  private final SplittableRandom rng;

  UniformSampler(DecisionSchema schema, long seed) {
    this.schema = schema;
    this.rng = new SplittableRandom(seed);
  }

  Architecture next() {
    int[] t = new int[schema.tokenCount()];
    int pos = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++) {
        t[pos++] = rng.nextInt(p.tokenRange(i));
      }
    }
    return schema.fromTokens(t);
  }
}
