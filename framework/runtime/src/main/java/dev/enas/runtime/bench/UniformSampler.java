package dev.enas.runtime.bench;

import dev.enas.api.schema.Architecture;
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
    return schema.uniform(rng);
  }
}
