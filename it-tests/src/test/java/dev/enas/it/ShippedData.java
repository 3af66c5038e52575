package dev.enas.it;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small stand-ins for the data the shipped configs (conf/*.pbtxt) read: Fashion-MNIST (gzipped IDX), CIFAR-10's
 * binary version and Penn Treebank's text, each in its real format and sizes a test can afford, and the
 * rewrite that points a shipped config at them.
 *
 * @param ptbTrainTokens tokens of the training text, its line ends included
 */
record ShippedData(Path fashion, Path cifar, Path ptb, long ptbTrainTokens) {
  static final int TRAIN_IMAGES = 600;
  static final int TEST_IMAGES = 100;
  /** The validation split the configs get: the shipped 5,000 do not fit in 600 images. */
  static final int VALID_IMAGES = 100;

  static ShippedData write(Path dir) throws IOException {
    Path fashion = IdxFiles.write(dir.resolve("fashion-mnist"), TRAIN_IMAGES, TEST_IMAGES, 1);
    Path cifar = writeCifar(dir.resolve("cifar-10-batches-bin"));
    Path ptb = dir.resolve("ptb");
    long tokens = writePtb(ptb);
    return new ShippedData(fashion, cifar, ptb, tokens);
  }

  /** A shipped config reading this data: the data's location, and a validation split that fits it. */
  String adapt(String config) {
    return config
        .replace("/path/to/cifar-10-batches-bin", cifar.toString())
        .replace("valid_size: 5000", "valid_size: " + VALID_IMAGES)
        .replace("dataset { id: \"fashion-mnist\" }", "dataset { id: \"fashion-mnist\" options { "
            + "[type.googleapis.com/enas.dataset.fashionmnist.FashionMnistOptions] { path: \"" + fashion
            + "\" valid_size: " + VALID_IMAGES + " } } }")
        .replace("/path/to/ptb", ptb.toString());
  }

  /** CIFAR-10's binary version: five training files of TRAIN_IMAGES / 5 records, and the test file. */
  private static Path writeCifar(Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 1; i <= 6; i++) {
      String name = i <= 5 ? "data_batch_" + i + ".bin" : "test_batch.bin";
      int records = i <= 5 ? TRAIN_IMAGES / 5 : TEST_IMAGES;
      try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve(name)))) {
        for (int k = 0; k < records; k++) {
          o.writeByte(r.nextInt(10));
          for (int p = 0; p < 3072; p++) {
            o.writeByte(r.nextInt(256));
          }
        }
      }
    }
    return dir;
  }

  /**
   * Penn Treebank's layout with its vocabulary size (10,000 words with {@code <eos>}, which the recurrent space's
   * default vocab_size expects); returns the training tokens.
   */
  private static long writePtb(Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(3);
    long tokens = 0;
    for (String split : List.of("train", "valid", "test")) {
      StringBuilder b = new StringBuilder();
      int words = split.equals("train") ? 20_000 : 3_000;
      for (int i = 0; i < words; i++) {
        int w = split.equals("train") && i < 9_999 ? i : r.nextInt(9_999);
        b.append('w').append(w).append(i % 20 == 19 ? "\n" : " ");
      }
      Files.writeString(dir.resolve("ptb." + split + ".txt"), b.toString());
      if (split.equals("train")) {
        tokens = words + words / 20;
      }
    }
    return tokens;
  }
}
