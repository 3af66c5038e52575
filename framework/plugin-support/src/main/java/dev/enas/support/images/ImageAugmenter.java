package dev.enas.support.images;

import java.util.SplittableRandom;

/**
 * Writes one stored image as normalised NHWC floats, optionally with the training augmentation:
 * pad-and-crop, horizontal flip, then cutout. As in the ENAS authors' code the image is normalised
 * first, so padding and cutout fill with 0, which is the channel mean.
 */
public final class ImageAugmenter {

  /**
   * What the augmentation does.
   *
   * @param pad zero padding on each side before a random crop back to the original size; 0 is off
   * @param flip mirror left-right with probability 1/2
   * @param cutout side of a zeroed square with a random centre; 0 is off
   */
  public record Settings(int pad, boolean flip, int cutout) {
    public Settings {
      if (pad < 0) {
        throw new IllegalArgumentException("augmentation.pad must be >= 0 (0 turns it off), got " + pad);
      }
      if (cutout < 0) {
        throw new IllegalArgumentException("augmentation.cutout must be >= 0 (0 turns it off), got " + cutout);
      }
    }
  }

  /**
   * Where one example's random augmentation lands.
   *
   * @param dy crop offset into the padded image, in {@code [0, 2 * pad]}
   * @param dx crop offset into the padded image, in {@code [0, 2 * pad]}
   * @param flip mirror left-right
   * @param cutoutY centre row of the cutout square, or -1 for none
   * @param cutoutX centre column of the cutout square
   */
  record Placement(int dy, int dx, boolean flip, int cutoutY, int cutoutX) {}

  private final int height;
  private final int width;
  private final int channels;
  private final Settings settings;
  private final float[][] table;
  private final Placement identity;

  ImageAugmenter(int height, int width, int channels, Normalization normalization, Settings settings) {
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.settings = settings;
    this.table = normalization.table();
    this.identity = new Placement(settings.pad(), settings.pad(), false, -1, -1);
  }

  /** Draws one example's augmentation; the draws depend only on {@code rng}. */
  Placement draw(SplittableRandom rng) {
    int pad = settings.pad();
    int dy = pad > 0 ? rng.nextInt(2 * pad + 1) : 0;
    int dx = pad > 0 ? rng.nextInt(2 * pad + 1) : 0;
    boolean flip = settings.flip() && rng.nextBoolean();
    int cy = -1;
    int cx = -1;
    if (settings.cutout() > 0) {
      cy = rng.nextInt(height);
      cx = rng.nextInt(width);
    }
    return new Placement(dy, dx, flip, cy, cx);
  }

  /** Writes the image without augmentation. */
  void write(byte[] src, int srcOffset, float[] dst, int dstOffset) {
    write(src, srcOffset, dst, dstOffset, identity);
  }

  /** Writes the image as placed: crop window at (dy, dx) of the padded image, mirrored if asked, then cutout. */
  void write(byte[] src, int srcOffset, float[] dst, int dstOffset, Placement p) {
    int pad = settings.pad();
    int half = settings.cutout() / 2;
    int cutTop = p.cutoutY() - half;
    int cutLeft = p.cutoutX() - half;
    int cut = p.cutoutY() >= 0 ? settings.cutout() : 0;
    for (int y = 0; y < height; y++) {
      int sy = y + p.dy() - pad;
      boolean rowCut = y >= cutTop && y < cutTop + cut;
      for (int x = 0; x < width; x++) {
        int sx = (p.flip() ? width - 1 - x : x) + p.dx() - pad;
        boolean zero = sy < 0 || sy >= height || sx < 0 || sx >= width
            || (rowCut && x >= cutLeft && x < cutLeft + cut);
        int out = dstOffset + (y * width + x) * channels;
        int in = srcOffset + (sy * width + sx) * channels;
        for (int k = 0; k < channels; k++) {
          dst[out + k] = zero ? 0f : table[k][src[in + k] & 0xff];
        }
      }
    }
  }
}
