package dev.enas.plugins.controller.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.controller.Controller;
import dev.enas.api.schema.ChoicePoint;
import dev.enas.api.schema.DecisionSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomControllerTest {
  private final DecisionSchema schema = new DecisionSchema(List.of(
      new ChoicePoint.Layer("op0", List.of("a", "b", "c"), "ops", true),
      new ChoicePoint.Input("skip1", List.of(0), true, false),
      new ChoicePoint.Layer("op1", List.of("a", "b", "c"), "ops", true)), 0);

  private Controller controller(long seed) {
    return new RandomControllerProvider().create(RandomControllerOptions.getDefaultInstance(), schema, seed);
  }

  @Test
  void sameSeedGivesSameArchitectures() {
    Controller a = controller(7);
    Controller b = controller(7);
    for (int i = 0; i < 20; i++) {
      assertEquals(a.sample().architecture(), b.sample().architecture());
    }
  }

  @Test
  void samplesCoverEveryValueUniformly() {
    Controller c = controller(1);
    int[] counts = new int[3];
    int n = 3000;
    for (int i = 0; i < n; i++) {
      counts[c.sample().architecture().tokens()[0]]++;
    }
    for (int count : counts) {
      assertTrue(Math.abs(count - n / 3) < 150, "op counts far from uniform: " + java.util.Arrays.toString(counts));
    }
  }

  @Test
  void logProbIsThatOfTheUniformPolicy() {
    assertEquals(-Math.log(3 * 2 * 3), controller(3).sample().logProb(), 1e-12);
  }

  @Test
  void restoredStateContinuesTheSameSequence() {
    Controller a = controller(11);
    for (int i = 0; i < 5; i++) {
      a.sample();
    }
    byte[] state = a.saveState();
    int[] next = a.sample().architecture().tokens();
    Controller b = controller(11);
    b.restoreState(state);
    assertArrayEquals(next, b.sample().architecture().tokens());
  }

  @Test
  void corruptStateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> controller(1).restoreState(new byte[3]));
  }
}
