package dev.enas.runtime.search;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A list whose elements are made in order, on first use, by one supplier, and forgotten once far enough behind the
 * newest: the children of a phase (or of {@code enas derive}) are sampled as they are needed, so a phase of a billion
 * steps holds a few children, not a billion, and comes out as if all had been sampled first. Reading an element
 * already forgotten is an error; callers read forwards, looking at most {@code keepBehind} back from the newest.
 */
public final class SequentialList<T> extends AbstractList<T> {
  private final int size;
  private final int keepBehind;
  private final Supplier<T> next;
  private final ArrayDeque<T> kept = new ArrayDeque<>();
  /** Index of the first element in {@code kept}. */
  private int first;

  /**
   * @param size how many elements there are
   * @param keepBehind how many elements before the newest stay readable
   * @param next makes element 0, then 1, and so on
   */
  public SequentialList(int size, int keepBehind, Supplier<T> next) {
    if (size < 0 || keepBehind < 0) {
      throw new IllegalArgumentException("size and keepBehind must be >= 0, got " + size + " and " + keepBehind);
    }
    this.size = size;
    this.keepBehind = keepBehind;
    this.next = next;
  }

  /** A view of {@code list} through {@code f}, read on demand. */
  public static <A, B> List<B> map(List<A> list, Function<A, B> f) {
    return new AbstractList<>() {
      @Override
      public B get(int index) {
        return f.apply(list.get(index));
      }

      @Override
      public int size() {
        return list.size();
      }
    };
  }

  @Override
  public T get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    while (first + kept.size() <= index) {
      kept.addLast(next.get());
    }
    while (first < index - keepBehind) {
      kept.removeFirst();
      first++;
    }
    if (index < first) {
      throw new IllegalStateException("element " + index + " was already dropped (the oldest kept is " + first + ")");
    }
    int i = 0;
    for (T t : kept) {
      if (first + i++ == index) {
        return t;
      }
    }
    throw new AssertionError(index);
  }

  @Override
  public int size() {
    return size;
  }
}
