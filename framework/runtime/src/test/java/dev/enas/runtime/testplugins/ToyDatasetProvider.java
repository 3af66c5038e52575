package dev.enas.runtime.testplugins;

import com.google.protobuf.Empty;
import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.space.TaskKind;
import java.util.SplittableRandom;

/** Synthetic 4x4x2 images whose label is the brightest quadrant's index mod 3; batches are pure functions of their index. */
public final class ToyDatasetProvider implements DatasetProvider<Empty> {
  @Override
  public String id() {
    return "toy-data";
  }

  @Override
  public Empty defaultOptions() {
    return Empty.getDefaultInstance();
  }

  @Override
  public Dataset create(Empty options, long seed) {
    return new Dataset() {
      final TensorShape shape = TensorShape.of(4, 4, 2);

      public TaskKind task() {
        return TaskKind.IMAGE_CLASSIFICATION;
      }

      public TensorShape exampleShape() {
        return shape;
      }

      public int classes() {
        return 3;
      }

      public long size(Split split) {
        return split == Split.TRAIN ? 640 : 160;
      }

      public Batch batch(Split split, long index, int batchSize, boolean augment) {
        SplittableRandom r = new SplittableRandom(seed * 31 + split.ordinal() * 1_000_003L + index);
        float[] px = new float[batchSize * (int) shape.size()];
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
          labels[i] = r.nextInt(3);
          for (int j = 0; j < shape.size(); j++) {
            px[i * (int) shape.size() + j] = (float) (r.nextGaussian() * 0.1 + (j % 3 == labels[i] ? 1 : 0));
          }
        }
        return new Batch.Images(batchSize, shape, px, labels);
      }

      public String digest() {
        return "toy-" + seed;
      }
    };
  }
}
