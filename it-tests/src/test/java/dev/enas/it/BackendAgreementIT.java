package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.dataset.Batch;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.api.ir.ParamSpec;
import dev.enas.support.weights.ParamInit;
import dev.enas.support.weights.SharedWeights;
import dev.enas.support.weights.TensorStoreFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test that catches a wrong op: from the same initial weights (both engines draw them from the shared store's
 * initialisers, seeded by key) and the same batch, one training step of a fixed child of each shipped space must give
 * the same loss, the same gradient for every tensor and the same batch-norm statistics on TensorFlow and on PyTorch.
 * The step is plain SGD at learning rate 1 without weight decay or clipping, so a tensor's change is minus its
 * gradient; the saved checkpoints are compared tensor by tensor. Both engines load from the distribution's plugins
 * directory into one JVM, as bin/enas loads them (which also proves their natives coexist).
 */
class BackendAgreementIT {
  /** The engines draw dropout masks from their own generators, so the compared language models drop nothing. */
  static final String NO_DROPOUT = "word_dropout: 0 embedding_dropout: 0 input_dropout: 0 between_dropout: 0 "
      + "output_dropout: 0";
  /** Plain SGD: the update is the gradient itself. Both backends name these options alike. */
  static final String PLAIN_SGD = "momentum: 0 weight_decay: 0 clip_mode: NO_CLIPPING";
  /**
   * Float32 with different kernels and summation orders: gradients agree to ~1e-6 relative on one machine; 1e-3 of
   * the tensor's gradient norm leaves room for other CPUs and still fails for any op that computes something else
   * (a wrong padding, a transposed weight or a missing term changes a gradient by tens of percent).
   */
  static final double TOLERANCE = 1e-3;
  /**
   * Where the true gradient is zero (an offset that feeds a batch norm, which subtracts any shift again) both engines
   * report float noise of 1e-7 to 1e-6; real gradients in these children are above 1e-4.
   */
  static final double NOISE = 1e-5;
  static final long SEED = 7;

  @TempDir
  static Path tmp;

  static PluginHost host;

  @BeforeAll
  static void load() {
    host = InProcessPlugins.host();
  }

  static Stream<Arguments> children() {
    return Stream.of(
        Arguments.of("enas-micro", "num_blocks: 3 num_cells: 1 channels: 8 image_height: 12 image_width: 12 "
            + "image_channels: 3 dropout_rate: 0", 1L),
        Arguments.of("enas-micro", "num_blocks: 3 num_cells: 1 channels: 8 image_height: 12 image_width: 12 "
            + "image_channels: 3 dropout_rate: 0", 2L),
        Arguments.of("enas-macro", "num_layers: 4 channels: 8 image_height: 12 image_width: 12 image_channels: 3 "
            + "dropout_rate: 0", 1L),
        Arguments.of("enas-macro", "num_layers: 4 channels: 8 image_height: 12 image_width: 12 image_channels: 3 "
            + "dropout_rate: 0", 2L),
        Arguments.of("enas-rnn", "num_nodes: 4 hidden_size: 16 vocab_size: 50 " + NO_DROPOUT, 1L),
        Arguments.of("enas-rnn", "num_nodes: 4 hidden_size: 16 vocab_size: 50 " + NO_DROPOUT, 2L));
  }

  @ParameterizedTest(name = "{0} child {2}")
  @MethodSource("children")
  void oneStepOfAFixedChildGivesTheSameLossAndGradientsOnBothEngines(String spaceId, String options, long child)
      throws Exception {
    List<String> backends = host.registry().ids(PluginKind.BACKEND);
    assumeTrue(backends.contains("tensorflow") && backends.contains("pytorch"),
        "needs both engines in the distribution's plugins; installed: " + backends);
    SearchSpace space = space(spaceId, options);
    Graph net = space.child(space.schema().uniform(new SplittableRandom(child)));
    Batch batch = batch(net, new SplittableRandom(100 + child));

    Step tf = step("tensorflow", spaceId, net, batch);
    Step pt = step("pytorch", spaceId, net, batch);

    assertEquals(tf.loss, pt.loss, TOLERANCE * Math.abs(tf.loss), "loss of " + spaceId + " child " + child);
    // The child's own tensors (on the CPU the TensorFlow backend runs search children on their supernet's graph and
    // creates the supernet's other tensors too, unchanged).
    Map<ParamKey, float[]> initial = initial(net);
    List<String> problems = new ArrayList<>();
    for (ParamKey key : initial.keySet()) {
      assertTrue(tf.after.containsKey(key) && pt.after.containsKey(key), key + " is missing from a checkpoint");
      float[] a = tf.after.get(key);
      float[] b = pt.after.get(key);
      float[] w0 = initial.get(key);
      // The update (gradient, or the moving-average change of batch-norm state) on each engine.
      double norm = 0;
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        double ga = w0[i] - a[i];
        double gb = w0[i] - b[i];
        norm += ga * ga;
        diff += (ga - gb) * (ga - gb);
      }
      norm = Math.sqrt(norm);
      diff = Math.sqrt(diff);
      if (diff > TOLERANCE * norm + NOISE) {
        problems.add(String.format("%s: update norm %.3g on tensorflow, differs by %.3g on pytorch", key, norm, diff));
      }
    }
    assertTrue(problems.isEmpty(), spaceId + " child " + child + " (" + describe(net) + "):\n"
        + String.join("\n", problems));
  }

  /** The loss of one step and every tensor after it. */
  record Step(double loss, Map<ParamKey, float[]> after) {}

  private Step step(String backendId, String spaceId, Graph net, Batch batch) throws Exception {
    BackendProvider<Message> provider = backend(backendId);
    Message.Builder o = provider.defaultOptions().toBuilder();
    TextFormat.merge(PLAIN_SGD, o);
    try (Backend b = provider.create(o.build(), SEED)) {
      TrainResult r = b.train(net, batch, 1.0);
      Path file = tmp.resolve(backendId + "-" + System.nanoTime() + ".tensors");
      b.save(file, spaceId);
      return new Step(r.loss(), values(TensorStoreFile.load(file, spaceId)));
    }
  }

  /** The initial values: every backend draws them from the shared store's initialisers, seeded by (seed, key). */
  private static Map<ParamKey, float[]> initial(Graph net) {
    Map<ParamKey, float[]> out = new TreeMap<>();
    for (ParamSpec p : net.pruned().params()) {
      out.put(p.key(), ParamInit.values(p, SEED));
    }
    return out;
  }

  private static Map<ParamKey, float[]> values(TensorStoreFile.Loaded loaded) {
    Map<ParamKey, float[]> out = new TreeMap<>();
    for (Map.Entry<ParamKey, SharedWeights.Entry> e : loaded.entries().entrySet()) {
      out.put(e.getKey(), e.getValue().values);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static BackendProvider<Message> backend(String id) {
    return host.registry().provider(PluginKind.BACKEND, id, BackendProvider.class);
  }

  @SuppressWarnings("unchecked")
  private static SearchSpace space(String id, String options) throws Exception {
    SearchSpaceProvider<Message> p = host.registry().provider(PluginKind.SPACE, id, SearchSpaceProvider.class);
    Message.Builder o = p.defaultOptions().toBuilder();
    TextFormat.merge(options, o);
    return p.create(o.build());
  }

  /** A batch for the child's input: random images and labels, or random token sequences. */
  private static Batch batch(Graph net, SplittableRandom r) {
    Op.Input in = null;
    for (Node n : net.inputNodes()) {
      Op.Input i = (Op.Input) ((Node.OpNode) n).op();
      if (!i.name().equals("state")) {
        in = i;
      }
    }
    int classes = net.shapes().get(net.outputs().get(0)).dim(0);
    if (in.name().equals("images")) {
      TensorShape s = in.shape();
      int n = 6;
      float[] pixels = new float[n * (int) s.size()];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) r.nextGaussian();
      }
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = r.nextInt(classes);
      }
      return new Batch.Images(n, s, pixels, labels);
    }
    int n = 3;
    int steps = 5;
    int[] tokens = new int[n * steps];
    int[] targets = new int[n * steps];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.nextInt(classes);
      targets[i] = r.nextInt(classes);
    }
    return new Batch.Tokens(n, steps, tokens, targets);
  }

  private static String describe(Graph net) {
    return net.nodes().stream().map(n -> ((Node.OpNode) n).op().label()).distinct().sorted().reduce((a, b) -> a + ", " + b)
        .orElse("");
  }
}
