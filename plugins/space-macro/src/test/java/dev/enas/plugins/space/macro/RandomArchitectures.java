package dev.enas.plugins.space.macro;

import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.Random;

/** Uniformly random decisions for property tests; all randomness comes from the caller's seeded generator. */
final class RandomArchitectures {
  private RandomArchitectures() {}

  static Architecture sample(DecisionSchema schema, Random rng) {
    int[] tokens = new int[schema.tokenCount()];
    int pos = 0;
    for (ChoicePoint p : schema.points()) {
      for (int i = 0; i < p.arity(); i++, pos++) {
        tokens[pos] = rng.nextInt(p.tokenRange(i));
      }
    }
    return schema.fromTokens(tokens);
  }
}
