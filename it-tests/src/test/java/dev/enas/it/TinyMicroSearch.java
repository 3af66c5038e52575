package dev.enas.it;

import java.nio.file.Path;

/**
 * The tiny search most integration tests run: the micro space (2 blocks, 1 cell per stage) on 28x28x1 images in
 * Fashion-MNIST's file format (see {@link IdxFiles}), REINFORCE, the accuracy reward. What the tests vary is an
 * argument; the rest is written once.
 */
final class TinyMicroSearch {
  private TinyMicroSearch() {}

  /**
   * @param backend the whole backend block, e.g. {@code backend { id: "tensorflow" }}
   * @param schedule the fields inside {@code schedule { }}
   * @param train the whole train block, or empty
   */
  static String config(String name, long seed, int channels, Path data, int validSize, String backend,
      String schedule, String train) {
    return """
        name: "%s"
        seed: %d
        space {
          id: "enas-micro"
          options { [type.googleapis.com/enas.space.micro.MicroSpaceOptions] {
            num_blocks: 2 num_cells: 1 channels: %d image_height: 28 image_width: 28 image_channels: 1
          } }
        }
        controller { id: "reinforce" }
        reward { id: "accuracy" }
        dataset {
          id: "fashion-mnist"
          options { [type.googleapis.com/enas.dataset.fashionmnist.FashionMnistOptions] {
            path: "%s" valid_size: %d
          } }
        }
        %s
        schedule {
          %s
        }
        %s
        """.formatted(name, seed, channels, data, validSize, backend, schedule, train);
  }
}
