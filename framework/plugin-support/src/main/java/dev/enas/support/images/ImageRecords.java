package dev.enas.support.images;

/**
 * Decoded images with their labels, as read from the files: unsigned bytes, each image in HWC order.
 *
 * @param pixels {@code count * height * width * channels} bytes
 * @param labels {@code count} class ids, one byte each
 */
public record ImageRecords(int count, int height, int width, int channels, byte[] pixels, byte[] labels) {

  public ImageRecords {
    if ((long) count * height * width * channels != pixels.length || labels.length != count) {
      throw new IllegalArgumentException(count + " images of " + height + "x" + width + "x" + channels + " got "
          + pixels.length + " pixel bytes and " + labels.length + " labels");
    }
  }

  /** Bytes per image: {@code height * width * channels}. */
  public int exampleBytes() {
    return height * width * channels;
  }

  /** The class id of image {@code i}. */
  public int label(int i) {
    return labels[i] & 0xff;
  }
}
