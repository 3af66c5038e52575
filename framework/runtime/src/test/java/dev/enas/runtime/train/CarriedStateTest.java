package dev.enas.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.enas.api.dataset.Batch;
import org.junit.jupiter.api.Test;

class CarriedStateTest {
  private static Batch.Tokens window(boolean continues, int size) {
    return new Batch.Tokens(size, 1, new int[size], new int[size], continues, null);
  }

  private static float[] state(Batch b) {
    return ((Batch.Tokens) b).state();
  }

  @Test
  void theNextWindowOfTheStreamStartsFromTheKeptState() {
    CarriedState c = new CarriedState();
    Batch first = c.feed(window(false, 2), 0);
    assertNull(state(first), "nothing kept yet: zeros");
    float[] s = {1, 2, 3, 4};
    c.keep(first, 0, s);
    assertArrayEquals(s, state(c.feed(window(true, 2), 1)));
  }

  @Test
  void anythingButTheNextContinuingWindowStartsFromZeros() {
    CarriedState c = new CarriedState();
    c.keep(window(false, 2), 4, new float[] {1, 2});
    assertNull(state(c.feed(window(false, 2), 5)), "a pass's first window starts over");
    assertNull(state(c.feed(window(true, 2), 7)), "not the next index: another part of the stream");
    assertNull(state(c.feed(window(true, 3), 5)), "another batch size: other rows");
    c.reset();
    assertNull(state(c.feed(window(true, 2), 5)), "an epoch start forgets the state");
    Batch images = new Batch.Images(1, dev.enas.api.ir.TensorShape.of(1, 1, 1), new float[1], new int[1]);
    assertSame(images, c.feed(images, 5));
  }
}
