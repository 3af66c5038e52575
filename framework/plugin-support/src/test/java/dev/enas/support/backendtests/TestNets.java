package dev.enas.support.backendtests;

import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Activation;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.GraphBuilder;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import java.util.SplittableRandom;

/**
 * Tiny graphs and batches for backend tests, built directly with {@link GraphBuilder}. Each backend's own TestNets
 * extends this with its factories, so its tests call {@code TestNets.convNet(...)} and {@code TestNets.backend(...)}
 * alike.
 */
public class TestNets {
  protected TestNets() {}

  public static ParamKey k(String s) {
    return ParamKey.of(s);
  }

  /** images -> conv3x3(c) -> bn -> relu -> [op] -> gap -> dense(classes). */
  public static Graph convNet(TensorShape in, int channels, int classes, Op middle, String middleKey) {
    GraphBuilder g = new GraphBuilder();
    String x = g.input("in", "images", in);
    x = g.op("stem", Op.Conv2d.of(3, channels, k("stem/w")), x);
    x = g.op("stem_bn", new Op.BatchNorm(k("stem/bn")), x);
    x = g.op("stem_relu", new Op.Act(Activation.RELU), x);
    if (middle != null) {
      x = g.op(middleKey, middle, x);
    }
    x = g.op("gap", new Op.GlobalAvgPool(), x);
    x = g.op("fc", new Op.Dense(classes, true, k("fc")), x);
    return g.output(x).build();
  }

  /**
   * Learnable images: class {@code y} lights up one of four quadrants ({@code y % 4}) with a sign that depends on
   * {@code y / 4}, plus noise.
   */
  public static Batch.Images quadrants(int n, TensorShape shape, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    float[] px = new float[n * h * w * c];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int y = rng.nextInt(classes);
      labels[i] = y;
      int qy = (y % 4) / 2;
      int qx = (y % 4) % 2;
      float sign = y / 4 == 0 ? 1f : -1f;
      for (int r = 0; r < h; r++) {
        for (int col = 0; col < w; col++) {
          boolean inQuadrant = r / (h / 2) == qy && col / (w / 2) == qx;
          for (int ch = 0; ch < c; ch++) {
            px[((i * h + r) * w + col) * c + ch] = (inQuadrant ? sign : 0f) + (float) (rng.nextGaussian() * 0.3);
          }
        }
      }
    }
    return new Batch.Images(n, shape, px, labels);
  }

  /** Random images and labels. */
  public static Batch.Images random(int n, TensorShape shape, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] px = new float[Math.toIntExact(n * shape.size())];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rng.nextGaussian();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(classes);
    }
    return new Batch.Images(n, shape, px, labels);
  }
}
