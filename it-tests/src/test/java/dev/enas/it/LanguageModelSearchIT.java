package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped recurrent-cell config on the real Penn Treebank (the copy kept beside the repository for tests and
 * CI, {@code ../shared/data/ptb}), its schedule shrunk: search, derive, train, through the distribution.
 */
class LanguageModelSearchIT {
  static final Path PTB = Path.of(System.getProperty("enas.shared.data", "../../shared/data")).resolve("ptb");

  @TempDir
  Path tmp;

  @Test
  void aRecurrentCellSearchOnPennTreebankRunsDerivesAndTrains() throws Exception {
    assumeTrue(Files.isDirectory(PTB), PTB.toAbsolutePath() + " is not here");
    Distribution dist = Distribution.copyTo(tmp.resolve("enas"));
    String shipped = Files.readString(dist.home.resolve("conf/rnn-ptb.pbtxt"));
    Path config = Files.writeString(tmp.resolve("rnn.pbtxt"), shipped
        .replace("/path/to/ptb", PTB.toAbsolutePath().toString())
        .replaceAll("(?s)schedule \\{.*?\\n\\}", """
            schedule { epochs: 2 child_steps_per_epoch: 10 child_batch_size: 16 controller_updates_per_epoch: 2
              controller_samples_per_update: 2 eval_batch_size: 32 lr_max: 20 lr_min: 5 derive_samples: 3 }""")
        .replaceAll("(?m)^train \\{.*$", "train { epochs: 1 batch_size: 16 steps_per_epoch: 5 test_batches: 2 }"));
    Path run = tmp.resolve("run");

    Distribution.Result s = dist.run(tmp, 300, "search", config.toString(), "--run-dir", run.toString());
    assertEquals(0, s.exitCode(), s.toString());
    String summary = Files.readString(run.resolve("final.pbtxt"));
    assertTrue(summary.contains("epochs: 2") && summary.contains("child_steps: 20"), summary);
    double reward = Double.parseDouble(summary.replaceAll("(?s).*best_reward: ([0-9.eE-]+).*", "$1"));
    // 80 / perplexity: a child that learnt nothing has perplexity 10,000 (reward 0.008); any learning beats it.
    assertTrue(reward > 80.0 / 10_000 && reward < 1, "best reward " + reward);

    Distribution.Result d = dist.run(tmp, 300, "derive", run.toString());
    assertEquals(0, d.exitCode(), d.toString());
    String arch = Files.readString(run.resolve("derived/arch.txt")).trim();
    assertEquals(8, arch.split(" ").length, "4 nodes x (previous node, activation): " + arch);

    Distribution.Result t = dist.run(tmp, 300, "train", config.toString(), "--arch", arch, "--out",
        tmp.resolve("trained").toString());
    assertEquals(0, t.exitCode(), t.toString());
    assertTrue(t.out().contains("test perplexity"), t.toString());
    assertTrue(Files.readString(tmp.resolve("trained/model/metrics.pbtxt")).contains("test_perplexity:"));
  }
}
