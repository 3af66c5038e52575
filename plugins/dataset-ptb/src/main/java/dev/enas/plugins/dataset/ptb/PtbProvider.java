package dev.enas.plugins.dataset.ptb;

import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.plugin.OptionException;
import dev.enas.support.images.Loading;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@code ptb} dataset: word-level language modelling on text in Mikolov's format, Penn Treebank by default
 * (the ENAS paper's recurrent-cell benchmark); WikiText-2 with its file names. The vocabulary is the training
 * split's words plus {@code <eos>}.
 */
public final class PtbProvider implements DatasetProvider<PtbOptions> {
  static final int DEFAULT_STEPS = 35;

  @Override
  public String id() {
    return "ptb";
  }

  @Override
  public PtbOptions defaultOptions() {
    return PtbOptions.newBuilder().setTrainFile("ptb.train.txt").setValidFile("ptb.valid.txt")
        .setTestFile("ptb.test.txt").setSteps(DEFAULT_STEPS).setTrainLimit(0).setCarryState(true).build();
  }

  @Override
  public String summary() {
    return "word-level language modelling text (Penn Treebank, WikiText-2); set `path` to your copy";
  }

  @Override
  public Dataset create(PtbOptions options, long seed) throws IOException {
    PtbOptions o = defaultOptions().toBuilder().mergeFrom(options).build();
    if (o.getSteps() <= 0) {
      throw new IllegalArgumentException("steps must be > 0 (tokens per sequence), got " + o.getSteps());
    }
    if (o.getTrainLimit() < 0) {
      throw new IllegalArgumentException("train_limit must be >= 0 (0 reads all), got " + o.getTrainLimit());
    }
    int multiple = randomMultiple(o);
    Path dir = directory(o);
    MessageDigest digest = Loading.sha256();
    TextCorpus corpus = TextCorpus.read(dir, o.getTrainFile(), o.getValidFile(), o.getTestFile(), o.getTrainLimit(),
        digest);
    return new TokenDataset(corpus, o.getSteps(), o.getCarryState(), HexFormat.of().formatHex(digest.digest()),
        multiple, seed);
  }

  /** 0 for fixed windows; else the multiple random lengths are rounded to (checked). */
  static int randomMultiple(PtbOptions o) {
    if (o.hasLengthMultiple() && o.getLengthMultiple() < 1) {
      throw new OptionException("length_multiple", "rounds random window lengths and must be >= 1, got "
          + o.getLengthMultiple());
    }
    if (o.hasLengthMultiple() && !o.getRandomLength()) {
      throw new OptionException("length_multiple", "rounds random window lengths: set random_length: true too");
    }
    if (o.hasLengthMultiple() && o.getLengthMultiple() > o.getSteps()) {
      throw new OptionException("length_multiple", "must be at most steps (" + o.getSteps() + "), got "
          + o.getLengthMultiple());
    }
    return o.getRandomLength() ? Math.max(1, o.getLengthMultiple()) : 0;
  }

  private static Path directory(PtbOptions o) throws FileNotFoundException {
    if (!o.hasPath() || o.getPath().isEmpty()) {
      throw new FileNotFoundException("dataset ptb needs the `path` option: the directory of your copy of Penn "
          + "Treebank (ptb.train.txt, ptb.valid.txt, ptb.test.txt, plain or .gz; no package provides it), or of "
          + "WikiText-2 with train_file/valid_file/test_file set to its wiki.*.tokens names");
    }
    Path dir = Path.of(o.getPath());
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("dataset ptb: directory " + dir + " (the `path` option) does not exist");
    }
    return dir;
  }
}
