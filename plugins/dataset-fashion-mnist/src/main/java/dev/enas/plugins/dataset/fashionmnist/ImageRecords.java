package dev.enas.plugins.dataset.fashionmnist;

/**
 * Decoded images with their labels, as read from the files: unsigned bytes, each image in HWC order.
 *
 * @param pixels {@code count * height * width * channels} bytes
 * @param labels {@code count} class ids, one byte each
 */
record ImageRecords(int count, int height, int width, int channels, byte[] pixels, byte[] labels) {

  ImageRecords {
    if ((long) count * height * width * channels != pixels.length || labels.length != count) {
      throw new IllegalArgumentException(count + " images of " + height + "x" + width + "x" + channels + " got "
          + pixels.length + " pixel bytes and " + labels.length + " labels");
    }
  }

  int exampleBytes() {
    return height * width * channels;
  }

  int label(int i) {
    return labels[i] & 0xff;
  }
}
