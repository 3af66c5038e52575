package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * enas_lm's regularisation pays on real text: the published enas_lm cell at H = 200, trained by {@code enas train} on
 * the first {@value #TRAIN_LINES} sentences of Penn Treebank's training split for {@value #EPOCHS} epochs (validation
 * and test: the first {@value #EVAL_LINES} sentences of theirs, so that the run takes a minute), reaches a lower test
 * perplexity with its regularisers (the final preset's: the five dropouts and the activation penalty alpha = 0.7) and
 * the state carried between windows than the same cell, same budget and seed, with neither. With this little data the
 * plain model overfits, which is what dropout is for: measured on a 2-core AMD EPYC (no AVX-512), 109.1 against 202.3
 * after 30 epochs (1.9x; 107.3 before the penalty joined), and for an LSTM of the cell's parameter count 99.9 against
 * 219.7 after 15 epochs (2.2x); both trainings switch to averaged SGD when their validation stalls, as enas_lm's do
 * (without it the plain cell's 202.3 was 336.8); the margin asked is {@value #MARGIN}x.
 *
 * <p>A bad rate is refused before any work: exit 2 naming the option and the value.
 */
class LanguageModelRegularisationIT {
  static final Path PTB = LanguageModelSearchIT.PTB;
  static final int TRAIN_LINES = 250;
  static final int EVAL_LINES = 250;
  static final int EPOCHS = 30;
  /** The LSTM learns faster per second and overfits sooner without regularisation: half the epochs show the gap. */
  static final int LSTM_EPOCHS = 15;
  static final double MARGIN = 1.3;
  static final String PUBLISHED = "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2";
  /** None of enas_lm's regularisers: the five dropouts and the activation penalties all off. */
  static final String NO_DROPOUT = "word_dropout: 0 embedding_dropout: 0 input_dropout: 0 between_dropout: 0 "
      + "output_dropout: 0 activation_l2: 0 slowness: 0";

  @TempDir
  Path tmp;

  /** The first lines of each split of the shipped Penn Treebank, in a directory of its own. */
  private static Path subset(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (String split : new String[] {"train", "valid", "test"}) {
      int lines = split.equals("train") ? TRAIN_LINES : EVAL_LINES;
      try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
          new java.util.zip.GZIPInputStream(Files.newInputStream(PTB.resolve("ptb." + split + ".txt.gz"))),
          java.nio.charset.StandardCharsets.UTF_8))) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
          text.append(in.readLine()).append('\n');
        }
        Files.writeString(dir.resolve("ptb." + split + ".txt"), text);
      }
    }
    return dir;
  }

  /** The training split's vocabulary: its distinct words and the line end. */
  private static int vocabulary(Path dir) throws Exception {
    java.util.Set<String> words = new java.util.HashSet<>();
    words.add("<eos>");
    for (String line : Files.readAllLines(dir.resolve("ptb.train.txt"))) {
      for (String w : line.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    return words.size();
  }

  private static String config(Path data, String spaceOptions, boolean carry) throws Exception {
    return config(data, spaceOptions, carry, EPOCHS);
  }

  private static String config(Path data, String spaceOptions, boolean carry, int epochs) throws Exception {
    return String.format(Locale.ROOT, """
        name: "lm-regularisation"
        seed: 3
        space {
          id: "enas-rnn"
          options { [type.googleapis.com/enas.space.rnn.RnnSpaceOptions] {
            hidden_size: 200 vocab_size: %d %s
          } }
        }
        controller { id: "reinforce" }
        reward { id: "perplexity" }
        dataset {
          id: "ptb"
          options { [type.googleapis.com/enas.dataset.ptb.PtbOptions] {
            path: "%s" steps: 20 carry_state: %s
          } }
        }
        backend {
          id: "tensorflow"
          options { [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions] { momentum: 0 clip_bound: 0.25 } }
        }
        train { epochs: %d batch_size: 16 lr_max: 20 lr_min: 5 }
        """, vocabulary(data), spaceOptions, data.toAbsolutePath(), carry, epochs);
  }

  private static double testPerplexity(Path out) throws Exception {
    String metrics = Files.readString(out.resolve("model/metrics.pbtxt"));
    return Double.parseDouble(metrics.replaceAll("(?s).*test_perplexity: ([0-9.eE+-]+).*", "$1"));
  }

  @Test
  void dropoutAndCarriedStateLowerTestPerplexityAtEqualBudget() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = subset(tmp.resolve("ptb"));
    Path regularised = Files.writeString(tmp.resolve("regularised.pbtxt"), config(data, "", true));
    Path plain = Files.writeString(tmp.resolve("plain.pbtxt"), config(data, NO_DROPOUT, false));

    Distribution.Result a = dist.run(tmp, 600, "train", regularised.toString(), "--arch", PUBLISHED, "--out",
        tmp.resolve("a").toString());
    assertEquals(0, a.exitCode(), a.toString());
    Distribution.Result b = dist.run(tmp, 600, "train", plain.toString(), "--arch", PUBLISHED, "--out",
        tmp.resolve("b").toString());
    assertEquals(0, b.exitCode(), b.toString());
    double withBoth = testPerplexity(tmp.resolve("a"));
    double withNeither = testPerplexity(tmp.resolve("b"));
    System.out.printf(Locale.ROOT, "test perplexity after %d epochs: dropout + carried state %.1f, neither %.1f%n",
        EPOCHS, withBoth, withNeither);
    assertTrue(withBoth * MARGIN < withNeither, "dropout and carried state: " + withBoth + ", neither: "
        + withNeither + " (asked: at least " + MARGIN + "x lower)");

    // The LSTM baseline (cell: LSTM, width matched to the 8-node H = 200 cell's parameter count), the same way.
    String lstm = "cell: LSTM num_nodes: 8 ";
    Path lstmBoth = Files.writeString(tmp.resolve("lstm.pbtxt"), config(data, lstm, true, LSTM_EPOCHS));
    Path lstmNeither = Files.writeString(tmp.resolve("lstm-plain.pbtxt"), config(data, lstm + NO_DROPOUT, false,
        LSTM_EPOCHS));
    Distribution.Result c = dist.run(tmp, 600, "train", lstmBoth.toString(), "--arch", "", "--out",
        tmp.resolve("c").toString());
    assertEquals(0, c.exitCode(), c.toString());
    Distribution.Result d = dist.run(tmp, 600, "train", lstmNeither.toString(), "--arch", "", "--out",
        tmp.resolve("d").toString());
    assertEquals(0, d.exitCode(), d.toString());
    double lstmWithBoth = testPerplexity(tmp.resolve("c"));
    double lstmWithNeither = testPerplexity(tmp.resolve("d"));
    System.out.printf(Locale.ROOT, "LSTM, test perplexity after %d epochs: dropout + carried state %.1f, neither %.1f%n",
        LSTM_EPOCHS, lstmWithBoth, lstmWithNeither);
    assertTrue(lstmWithBoth * MARGIN < lstmWithNeither, "LSTM with dropout and carried state: " + lstmWithBoth
        + ", neither: " + lstmWithNeither + " (asked: at least " + MARGIN + "x lower)");
  }

  /**
   * enas_lm's random window lengths (the dataset's {@code random_length}, each step's rate scaled by its window's
   * length) train the published cell end to end on both engines: TensorFlow with lengths rounded to multiples of 5
   * (a graph per length), PyTorch with the lengths as drawn. Each reaches a test perplexity well under the
   * vocabulary's (uniform guessing).
   */
  @Test
  void randomWindowLengthsTrainOnBothEngines() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path data = subset(tmp.resolve("ptb"));
    int vocabulary = vocabulary(data);
    String base = config(data, "", true, 3);
    String tf = base.replace("carry_state: true", "carry_state: true random_length: true length_multiple: 5");
    String pt = base.replace("carry_state: true", "carry_state: true random_length: true")
        .replace("id: \"tensorflow\"", "id: \"pytorch\"")
        .replace("enas.backend.tensorflow.TensorFlowBackendOptions", "enas.backend.pytorch.PyTorchBackendOptions");
    for (String[] run : new String[][] {{"tf", tf}, {"pt", pt}}) {
      Path conf = Files.writeString(tmp.resolve("random-" + run[0] + ".pbtxt"), run[1]);
      Distribution.Result r = dist.run(tmp, 600, "train", conf.toString(), "--arch", PUBLISHED, "--out",
          tmp.resolve("random-" + run[0]).toString());
      assertEquals(0, r.exitCode(), r.toString());
      double ppl = testPerplexity(tmp.resolve("random-" + run[0]));
      System.out.printf(Locale.ROOT, "random window lengths (%s), test perplexity after 3 epochs: %.1f (vocabulary %d)%n",
          run[0], ppl, vocabulary);
      assertTrue(ppl < vocabulary / 3.0, run[0] + ": test perplexity " + ppl + " against a vocabulary of " + vocabulary);
    }
  }

  @Test
  void aDropoutRateOutsideZeroToOneIsRefusedNamingTheOption() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path bad = Files.writeString(tmp.resolve("bad.pbtxt"), config(subset(tmp.resolve("ptb")), "output_dropout: 1.5",
        true));
    Distribution.Result r = dist.run(tmp, 120, "validate", bad.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("output_dropout") && r.err().contains("1.5"), r.toString());

    // a window longer than a split: no batch size could help, so the message says which option to lower
    Path data = tmp.resolve("ptb");
    Path longWindows = Files.writeString(tmp.resolve("long.pbtxt"), config(data, "", true)
        .replace("steps: 20", "steps: 100000"));
    Distribution.Result w = dist.run(tmp, 120, "validate", longWindows.toString());
    assertEquals(2, w.exitCode(), w.toString());
    assertTrue(w.err().contains("lower the dataset's sequence length (ptb: the steps option)"), w.toString());

    // a negative penalty weight, a length multiple without random lengths: each named with its value
    Path penalty = Files.writeString(tmp.resolve("penalty.pbtxt"), config(data, "activation_l2: -0.5", true));
    Distribution.Result p = dist.run(tmp, 120, "validate", penalty.toString());
    assertEquals(2, p.exitCode(), p.toString());
    assertTrue(p.err().contains("activation_l2") && p.err().contains("-0.5"), p.toString());
    Path multiple = Files.writeString(tmp.resolve("multiple.pbtxt"), config(data, "", true)
        .replace("carry_state: true", "carry_state: true length_multiple: 0"));
    Distribution.Result m = dist.run(tmp, 120, "validate", multiple.toString());
    assertEquals(2, m.exitCode(), m.toString());
    assertTrue(m.err().contains("length_multiple"), m.toString());
  }
}
