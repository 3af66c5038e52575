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
 * the first {@value #TRAIN_TOKENS} tokens of Penn Treebank for {@value #EPOCHS} epochs, reaches a lower test
 * perplexity with its five dropouts (the final preset's rates) and the state carried between windows than the same
 * cell, same budget and seed, with neither. With this little data the plain model overfits within a few epochs, which
 * is what dropout is for; the margin asked ({@value #MARGIN}x) is far below the gap measured (see the log line).
 *
 * <p>A bad rate is refused before any work: exit 2 naming the option and the value.
 */
class LanguageModelRegularisationIT {
  static final Path PTB = LanguageModelSearchIT.PTB;
  static final int TRAIN_TOKENS = 20_000;
  /** The vocabulary of those tokens (with {@code <unk>} and {@code <eos>}). */
  static final int VOCABULARY = 3318;
  static final int EPOCHS = 8;
  static final double MARGIN = 1.10;
  static final String PUBLISHED = "0 2 1 0 2 1 2 2 4 0 5 0 3 2 6 2";
  static final String NO_DROPOUT = "word_dropout: 0 embedding_dropout: 0 input_dropout: 0 between_dropout: 0 "
      + "output_dropout: 0";

  @TempDir
  Path tmp;

  private static String config(String spaceOptions, boolean carry) {
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
            path: "%s" steps: 20 train_limit: %d carry_state: %s
          } }
        }
        backend {
          id: "tensorflow"
          options { [type.googleapis.com/enas.backend.tensorflow.TensorFlowBackendOptions] { momentum: 0 clip_bound: 0.25 } }
        }
        train { epochs: %d batch_size: 16 lr_max: 20 lr_min: 5 test_batches: 60 }
        """, VOCABULARY, spaceOptions, PTB.toAbsolutePath(), TRAIN_TOKENS, carry, EPOCHS);
  }

  private static double testPerplexity(Path out) throws Exception {
    String metrics = Files.readString(out.resolve("model/metrics.pbtxt"));
    return Double.parseDouble(metrics.replaceAll("(?s).*test_perplexity: ([0-9.eE+-]+).*", "$1"));
  }

  @Test
  void dropoutAndCarriedStateLowerTestPerplexityAtEqualBudget() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path regularised = Files.writeString(tmp.resolve("regularised.pbtxt"), config("", true));
    Path plain = Files.writeString(tmp.resolve("plain.pbtxt"), config(NO_DROPOUT, false));

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
  }

  @Test
  void aDropoutRateOutsideZeroToOneIsRefusedNamingTheOption() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    Path bad = Files.writeString(tmp.resolve("bad.pbtxt"), config("output_dropout: 1.5", true));
    Distribution.Result r = dist.run(tmp, 120, "validate", bad.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("output_dropout") && r.err().contains("1.5"), r.toString());
  }
}
