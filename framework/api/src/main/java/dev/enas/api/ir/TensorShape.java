package dev.enas.api.ir;

import java.util.Arrays;

/** The shape of one example's tensor, without the batch dimension: {@code [H, W, C]} for images, {@code [D]} for vectors. */
public final class TensorShape {
  private final int[] dims;

  private TensorShape(int[] dims) {
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("tensor dimensions must be positive, got " + Arrays.toString(dims));
      }
    }
    this.dims = dims.clone();
  }

  public static TensorShape of(int... dims) {
    return new TensorShape(dims);
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements of one example. */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Height of an image shape. */
  public int height() {
    requireImage();
    return dims[0];
  }

  /** Width of an image shape. */
  public int width() {
    requireImage();
    return dims[1];
  }

  /** The last dimension: channels of an image, features of a vector. */
  public int channels() {
    return dims[dims.length - 1];
  }

  public boolean isImage() {
    return dims.length == 3;
  }

  public TensorShape withChannels(int c) {
    int[] d = dims.clone();
    d[d.length - 1] = c;
    return new TensorShape(d);
  }

  private void requireImage() {
    if (!isImage()) {
      throw new IrException("expected an image shape [H, W, C], got " + this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorShape t && Arrays.equals(dims, t.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
