package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.proto.Event;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same configs on both engines, through the distribution: a micro-space search on Fashion-MNIST-format samples and
 * a recurrent-cell search on Penn Treebank, once with {@code backend: tensorflow} and once with {@code backend:
 * pytorch} (the config differs in that one line); both must learn and end with a derived architecture. Then a search
 * checkpointed on one engine is resumed on the other ({@code resume --backend}) and must continue from where it was,
 * not from scratch.
 */
class BackendSwapIT {
  @TempDir
  static Path tmp;

  static Distribution dist;
  static Path images;
  static Path ptb;
  static int vocabulary;

  @BeforeAll
  static void setUp() throws Exception {
    dist = Distribution.copyTo(tmp.resolve("enas"));
    images = IdxFiles.writeThickness(tmp.resolve("fashion"), 700, 200, 5);
    // A sample of the real Penn Treebank shipped with the tests (the first 2,500 / 400 / 400 lines of Mikolov's
    // train / valid / test files), so the same data runs everywhere.
    ptb = Path.of(BackendSwapIT.class.getResource("/ptb-sample").toURI());
    vocabulary = vocabulary(ptb.resolve("ptb.train.txt.gz"));
  }

  static String micro(String backend) {
    return TinyMicroSearch.config("swap-micro", 11, 8, images, 200,
        "backend { id: \"%s\" options { [type.googleapis.com/enas.backend.%s] { bn_eval: BATCH_STATISTICS } } }"
            .formatted(backend, optionsType(backend)),
        "epochs: 4 child_steps_per_epoch: 25 child_batch_size: 32 controller_updates_per_epoch: 2 "
            + "controller_samples_per_update: 3 eval_batch_size: 50 lr_max: 0.1 lr_min: 0.001 derive_samples: 4",
        "train { epochs: 1 batch_size: 32 steps_per_epoch: 5 test_batches: 2 }");
  }

  static String rnn(String backend) {
    return """
        name: "swap-rnn"
        seed: 11
        space {
          id: "enas-rnn"
          options { [type.googleapis.com/enas.space.rnn.RnnSpaceOptions] {
            num_nodes: 3 hidden_size: 32 vocab_size: %d
          } }
        }
        controller {
          id: "reinforce"
          options { [type.googleapis.com/enas.controller.reinforce.ReinforceControllerOptions] { preset: LM_CODE } }
        }
        reward { id: "perplexity" }
        dataset { id: "ptb" options { [type.googleapis.com/enas.dataset.ptb.PtbOptions] { path: "%s" steps: 10 } } }
        backend { id: "%s" options { [type.googleapis.com/enas.backend.%s] { momentum: 0 clip_bound: 0.25 } } }
        schedule {
          epochs: 2 child_steps_per_epoch: 25 child_batch_size: 16 controller_updates_per_epoch: 2
          controller_samples_per_update: 2 eval_batch_size: 32 lr_max: 20 lr_min: 5 derive_samples: 3
        }
        train { epochs: 1 batch_size: 16 steps_per_epoch: 5 test_batches: 2 }
        """.formatted(vocabulary, ptb, backend, optionsType(backend));
  }

  /** The backend's options message; the options themselves are named alike on both engines. */
  static String optionsType(String backend) {
    return backend.equals("pytorch") ? "pytorch.PyTorchBackendOptions" : "tensorflow.TensorFlowBackendOptions";
  }

  @ParameterizedTest(name = "micro search on {0}")
  @ValueSource(strings = {"tensorflow", "pytorch"})
  void aMicroSearchLearnsAndDerivesOnEachEngine(String backend) throws Exception {
    Path run = search(backend, "micro", micro(backend));
    List<Event> events = events(run);
    double early = meanLoss(firstSteps(events, 3));
    double late = meanLoss(stepsOfEpoch(events, 4));
    // 10 classes: about ln 10 = 2.3 at the start. Each step trains a newly sampled child, so the path depends on every
    // earlier float: another CPU takes another path. Measured over seeds 11-13 on both engines (6 paths, AMD EPYC):
    // falls of 0.32-0.86 over 100 steps, last-epoch rewards 0.21-0.44 (chance 0.1). The bounds sit below all six.
    assertTrue(late < early - 0.15, backend + ": child loss " + early + " -> " + late + " did not fall by 0.15");
    double reward = lastEpochReward(events);
    assertTrue(reward > 0.15, backend + ": mean reward " + reward + " of the last epoch is not 1.5x chance (0.1)");
    derive(run, 2 * 2 * 4);
  }

  @ParameterizedTest(name = "recurrent cell search on {0}")
  @ValueSource(strings = {"tensorflow", "pytorch"})
  void aRecurrentCellSearchLearnsAndDerivesOnEachEngine(String backend) throws Exception {
    Path run = search(backend, "rnn", rnn(backend));
    List<Event> events = events(run);
    double early = meanLoss(firstSteps(events, 3));
    double late = meanLoss(stepsOfEpoch(events, 2));
    // Measured (AMD EPYC, 2 cores): 8.16 -> 6.83 nats over 50 steps on both engines, which agree to 1e-6 here (same
    // initial weights, same optimiser code); ln 5,548 = 8.6 for a uniform model.
    assertTrue(late < early - 0.8, backend + ": child loss " + early + " -> " + late + " did not fall by 0.8 nats");
    double reward = lastEpochReward(events);
    // 80 / validation perplexity: a model that learnt nothing scores 80 / 5,548 = 0.014; measured 0.140.
    double uniform = 80.0 / vocabulary;
    assertTrue(reward > 5 * uniform, backend + ": mean reward " + reward + " is not 5x a uniform model's " + uniform);
    derive(run, 3 * 2);
  }

  @ParameterizedTest(name = "checkpoint from {0} resumes on the other engine")
  @ValueSource(strings = {"tensorflow", "pytorch"})
  void aCheckpointOfOneEngineResumesOnTheOther(String from) throws Exception {
    String to = from.equals("tensorflow") ? "pytorch" : "tensorflow";
    Path config = Files.writeString(tmp.resolve("resume-" + from + ".pbtxt"), micro(from));
    Path run = tmp.resolve("resume-" + from);
    Distribution.Result first = dist.run(tmp, 600, "search", config.toString(), "--run-dir", run.toString(),
        "--stop-after-epochs", "2");
    assertEquals(0, first.exitCode(), first.toString());
    Distribution.Result resumed = dist.run(tmp, 600, "resume", run.toString(), "--backend", to);
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.err().contains(from) && resumed.err().contains(to), "the resume says which engine wrote the "
        + "checkpoint and which continues: " + resumed);
    List<Event> events = events(run);
    double fresh = meanLoss(firstSteps(events, 3));
    double endOfTwo = meanLoss(stepsOfEpoch(events, 2));
    double third = meanLoss(firstOfEpoch(events, 3, 3));
    // Continuing from the checkpoint: epoch 3 starts near where epoch 2 ended, far below a fresh start.
    assertTrue(third < fresh - 0.5 * (fresh - endOfTwo), "after resuming on " + to + " the loss " + third
        + " restarted towards a fresh model's " + fresh + " (epoch 2 ended at " + endOfTwo + ")");
    assertTrue(Files.readString(run.resolve("final.pbtxt")).contains("epochs: 4"));
  }

  @Test
  void unloadableNativesAreAUsageErrorThatSaysWhatToInstall() throws Exception {
    // DJL cannot extract libtorch into a cache directory that cannot exist.
    Path config = Files.writeString(tmp.resolve("natives.pbtxt"), micro("pytorch"));
    Distribution.Result r = dist.run(tmp, 120, Map.of("ENGINE_CACHE_DIR", "/proc/no-such-dir"), "search",
        config.toString(), "--run-dir", tmp.resolve("natives").toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64")
        && r.err().contains("ENGINE_CACHE_DIR"), "names the natives and where they go: " + r);
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);
  }

  private static Path search(String backend, String space, String config) throws Exception {
    Path file = Files.writeString(tmp.resolve(space + "-" + backend + ".pbtxt"), config);
    Path run = tmp.resolve(space + "-" + backend);
    Distribution.Result r = dist.run(tmp, 600, "search", file.toString(), "--run-dir", run.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().toLowerCase(Locale.ROOT).contains(backend.equals("pytorch") ? "pytorch" : "cpu"),
        "the log names the engine: " + r);
    return run;
  }

  private static void derive(Path run, int tokens) throws Exception {
    Distribution.Result d = dist.run(tmp, 300, "derive", run.toString());
    assertEquals(0, d.exitCode(), d.toString());
    String arch = Files.readString(run.resolve("derived/arch.txt")).trim();
    assertEquals(tokens, arch.split(" ").length, "derived architecture " + arch);
  }

  /** The ptb dataset's vocabulary: the training text's distinct words and {@code <eos>}. */
  static int vocabulary(Path trainGz) throws IOException {
    java.util.Set<String> words = new java.util.HashSet<>();
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
        new java.util.zip.GZIPInputStream(Files.newInputStream(trainGz)), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        for (String w : line.trim().split("\\s+")) {
          if (!w.isEmpty()) {
            words.add(w);
          }
        }
      }
    }
    words.add("<eos>");
    return words.size();
  }

  static List<Event> events(Path run) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(run.resolve("events.pb")))) {
      Event e;
      while ((e = Event.parseDelimitedFrom(in)) != null) {
        events.add(e);
      }
    }
    return events;
  }

  private static List<Event> childSteps(List<Event> events) {
    return events.stream().filter(Event::hasChildStep).toList();
  }

  private static List<Event> firstSteps(List<Event> events, int n) {
    return childSteps(events).subList(0, n);
  }

  /** The child steps of epoch {@code epoch}, counted from 1 as the log prints it (events count from 0). */
  private static List<Event> stepsOfEpoch(List<Event> events, int epoch) {
    return childSteps(events).stream().filter(e -> e.getEpoch() == epoch - 1).toList();
  }

  private static List<Event> firstOfEpoch(List<Event> events, int epoch, int n) {
    return stepsOfEpoch(events, epoch).subList(0, n);
  }

  private static double meanLoss(List<Event> steps) {
    assertTrue(!steps.isEmpty(), "no child steps");
    return steps.stream().mapToDouble(e -> e.getChildStep().getLoss()).average().orElseThrow();
  }

  private static double lastEpochReward(List<Event> events) {
    List<Event> ends = events.stream().filter(Event::hasEpochEnd).toList();
    return ends.get(ends.size() - 1).getEpochEnd().getMeanReward();
  }
}
