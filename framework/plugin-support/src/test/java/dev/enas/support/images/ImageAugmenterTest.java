package dev.enas.support.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageAugmenterTest {
  private static final int H = 4;
  private static final int W = 5;

  /** A 4x5 single-channel image whose pixel (y, x) is 10y + x + 1, so no pixel is 0. */
  private static byte[] image() {
    byte[] px = new byte[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        px[y * W + x] = (byte) (10 * y + x + 1);
      }
    }
    return px;
  }

  /** The output as the original byte values (normalisation off gives b / 255); 0 marks padding or cutout. */
  private static int[][] apply(ImageAugmenter.Settings settings, ImageAugmenter.Placement p) {
    ImageAugmenter a = new ImageAugmenter(H, W, 1, Normalization.none(1), settings);
    float[] out = new float[H * W];
    a.write(image(), 0, out, 0, p);
    int[][] grid = new int[H][W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        grid[y][x] = Math.round(out[y * W + x] * 255);
      }
    }
    return grid;
  }

  private static int original(int y, int x) {
    return 10 * y + x + 1;
  }

  @Test
  void centredPlacementLeavesTheImageUnchanged() {
    int[][] g = apply(new ImageAugmenter.Settings(2, true, 0), new ImageAugmenter.Placement(2, 2, false, -1, -1));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertEquals(original(y, x), g[y][x]);
      }
    }
  }

  @Test
  void flipMirrorsEachRow() {
    int[][] g = apply(new ImageAugmenter.Settings(0, true, 0), new ImageAugmenter.Placement(0, 0, true, -1, -1));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertEquals(original(y, W - 1 - x), g[y][x], "pixel (" + y + ", " + x + ")");
      }
    }
  }

  @Test
  void cropShiftsTheImageAndFillsTheUncoveredBorderWithZero() {
    // pad 1, window at (0, 2) of the padded image: output (y, x) shows input (y - 1, x + 1).
    int[][] g = apply(new ImageAugmenter.Settings(1, false, 0), new ImageAugmenter.Placement(0, 2, false, -1, -1));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int sy = y - 1;
        int sx = x + 1;
        int expected = sy < 0 || sx >= W ? 0 : original(sy, sx);
        assertEquals(expected, g[y][x], "pixel (" + y + ", " + x + ")");
      }
    }
  }

  @Test
  void cutoutZeroesASquareAroundItsCentre() {
    int[][] g = apply(new ImageAugmenter.Settings(0, false, 2), new ImageAugmenter.Placement(0, 0, false, 2, 3));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inside = y >= 1 && y < 3 && x >= 2 && x < 4;
        assertEquals(inside ? 0 : original(y, x), g[y][x], "pixel (" + y + ", " + x + ")");
      }
    }
  }

  @Test
  void cutoutIsClippedAtTheBorder() {
    int[][] g = apply(new ImageAugmenter.Settings(0, false, 3), new ImageAugmenter.Placement(0, 0, false, 0, 0));
    int zeros = 0;
    for (int[] row : g) {
      for (int v : row) {
        zeros += v == 0 ? 1 : 0;
      }
    }
    assertEquals(4, zeros, "a 3x3 square centred on the corner covers 2x2 pixels");
    assertEquals(0, g[1][1]);
    assertEquals(original(2, 2), g[2][2]);
  }

  @Test
  void flipKeepsTheChannelsOfAPixelTogether() {
    byte[] rgb = {1, 2, 3, 4, 5, 6}; // a 1x2 image with 3 channels
    ImageAugmenter a = new ImageAugmenter(1, 2, 3, Normalization.none(3), new ImageAugmenter.Settings(0, true, 0));
    float[] out = new float[6];
    a.write(rgb, 0, out, 0, new ImageAugmenter.Placement(0, 0, true, -1, -1));
    int[] back = new int[6];
    for (int i = 0; i < 6; i++) {
      back[i] = Math.round(out[i] * 255);
    }
    assertEquals(java.util.List.of(4, 5, 6, 1, 2, 3), java.util.Arrays.stream(back).boxed().toList());
  }

  @Test
  void normalisationUsesTheGivenMeanAndStd() {
    Normalization n = Normalization.given(new float[] {0.5f}, new float[] {0.25f}, 1);
    ImageAugmenter a = new ImageAugmenter(H, W, 1, n, new ImageAugmenter.Settings(0, false, 0));
    float[] out = new float[H * W];
    a.write(image(), 0, out, 0);
    assertEquals((original(3, 4) / 255f - 0.5f) / 0.25f, out[3 * W + 4], 1e-6);
  }

  @Test
  void drawsStayInRangeAndUseEveryEnabledAugmentation() {
    ImageAugmenter a = new ImageAugmenter(H, W, 1, Normalization.none(1), new ImageAugmenter.Settings(2, true, 2));
    SplittableRandom rng = new SplittableRandom(5);
    boolean flipped = false;
    boolean straight = false;
    for (int i = 0; i < 200; i++) {
      ImageAugmenter.Placement p = a.draw(rng);
      assertTrue(p.dy() >= 0 && p.dy() <= 4 && p.dx() >= 0 && p.dx() <= 4, p.toString());
      assertTrue(p.cutoutY() >= 0 && p.cutoutY() < H && p.cutoutX() >= 0 && p.cutoutX() < W, p.toString());
      flipped |= p.flip();
      straight |= !p.flip();
    }
    assertTrue(flipped && straight, "flip should happen about half the time");
  }

  @Test
  void disabledAugmentationsAreNeverDrawn() {
    ImageAugmenter a = new ImageAugmenter(H, W, 1, Normalization.none(1), new ImageAugmenter.Settings(0, false, 0));
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 50; i++) {
      ImageAugmenter.Placement p = a.draw(rng);
      assertEquals(new ImageAugmenter.Placement(0, 0, false, -1, -1), p);
    }
    assertFalse(a.draw(rng).flip());
  }

  @Test
  void negativeSettingsAreRefused() {
    IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
        () -> new ImageAugmenter.Settings(-1, false, 0));
    assertTrue(pad.getMessage().contains("augmentation.pad"), pad.getMessage());
    IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
        () -> new ImageAugmenter.Settings(0, false, -3));
    assertTrue(cut.getMessage().contains("augmentation.cutout"), cut.getMessage());
  }

  @Test
  void givenNormalisationMustMatchTheChannels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Normalization.given(new float[] {0.5f, 0.5f}, new float[] {0.2f, 0.2f}, 1));
    assertTrue(e.getMessage().contains("1 value(s) each"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Normalization.given(new float[] {0.5f}, new float[] {0f}, 1));
  }

  @Test
  void measuredNormalisationUsesOnlyTheGivenExamples() {
    byte[] px = {0, (byte) 255, 51, 51}; // four 1x1 images
    ImageRecords r = new ImageRecords(4, 1, 1, 1, px, new byte[4]);
    Normalization n = Normalization.measure(r, new int[] {0, 1});
    assertEquals(0.5f, n.mean()[0], 1e-6);
    assertEquals(0.5f, n.std()[0], 1e-6);
    Normalization constant = Normalization.measure(r, new int[] {2, 3});
    assertEquals(0.2f, constant.mean()[0], 1e-6);
    assertEquals(1f, constant.std()[0], "a constant channel is divided by 1, not 0");
  }
}
