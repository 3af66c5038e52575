package dev.enas.runtime.derive;

import com.google.protobuf.TextFormat;
import com.google.protobuf.TypeRegistry;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.Evaluation;
import dev.enas.api.controller.Controller;
import dev.enas.api.dataset.Batch;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.Graph;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.reward.ChildMetrics;
import dev.enas.api.reward.RewardFunction;
import dev.enas.api.schema.Architecture;
import dev.enas.api.space.SearchSpace;
import dev.enas.proto.Decision;
import dev.enas.proto.Provenance;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.checkpoint.CheckpointException;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.config.PluginChoice;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.events.EventLog;
import dev.enas.runtime.report.GraphvizDot;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.search.Announcer;
import dev.enas.runtime.search.SequentialList;
import dev.enas.runtime.train.CarriedState;
import dev.enas.tensorboard.Summaries;
import dev.enas.tensorboard.TensorBoardLog;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the final architecture of a search, as the paper does: sample N architectures from the trained
 * controller, score each on the same validation batches with the trained shared weights, keep the best.
 * Writes {@code derived/arch.txt} (the authors' string), {@code arch.pbtxt} (with provenance), {@code arch.dot}
 * (and {@code arch.png} when Graphviz's {@code dot} is installed) and {@code candidates.csv}, and adds the result to
 * the run's TensorBoard log ({@code tb/}) at the checkpoint's child step: the architecture as text, its reward and
 * accuracy, and its diagram as an image.
 */
public final class Deriver {
  /** TensorBoard tags of a derive. */
  public static final String TB_ARCH = "derive/arch";
  public static final String TB_REWARD = "derive/best_reward";
  public static final String TB_ACCURACY = "derive/best_accuracy";
  public static final String TB_DIAGRAM = "derive/arch_diagram";

  private static final Logger LOG = LoggerFactory.getLogger(Deriver.class);
  private final ResolvedConfig config;
  private final SearchSpace space;
  private final Controller controller;
  private final RewardFunction reward;
  private final Dataset dataset;
  private final Backend backend;

  @Inject
  public Deriver(ResolvedConfig config, SearchSpace space, Controller controller, RewardFunction reward,
      Dataset dataset, Backend backend) {
    this.config = config;
    this.space = space;
    this.controller = controller;
    this.reward = reward;
    this.dataset = dataset;
    this.backend = backend;
  }

  /** One scored candidate. */
  public record Candidate(Architecture architecture, double reward, double accuracy) {}

  /** The result: every candidate, and the best. */
  public record Result(List<Candidate> candidates, Candidate best, Path directory) {}

  public Result derive(RunDirectory run, int samples, int batches, TypeRegistry types) throws IOException {
    String spaceId = config.plugin(PluginKind.SPACE).plugin().id();
    CheckpointStore.Checkpoint cp = new CheckpointStore(run.path(), 2).latest()
        .orElseThrow(() -> new CheckpointException("run " + run.path() + " has no checkpoint yet; search first"));
    cp.requireSpace(spaceId);
    backend.load(cp.file("weights.pb"), spaceId);
    controller.restoreState(Files.readAllBytes(cp.file("controller.bin")));

    int batchSize = config.config().getSchedule().getEvalBatchSize();
    List<Candidate> all = new ArrayList<>();
    Candidate best = null;
    // Sampled a few ahead of their scoring (the controller does not change here), so the backend can be told which
    // come next; only those few are kept.
    List<Map.Entry<Architecture, Graph>> sampled = new SequentialList<>(samples, Math.max(16, backend.prepareAhead() + 1),
        () -> {
          Architecture a = controller.sample().architecture();
          return Map.entry(a, space.child(a));
        });
    List<Graph> children = SequentialList.map(sampled, Map.Entry::getValue);
    Announcer announcer = new Announcer(backend, Backend.Use.EVALUATION);
    Batch like = dataset.batch(Split.VALID, 0, batchSize, false);
    for (int i = 0; i < samples; i++) {
      Architecture a = sampled.get(i).getKey();
      Graph child = children.get(i);
      announcer.before(i, children, j -> like);
      double r = 0;
      double acc = 0;
      CarriedState carried = new CarriedState();
      for (int b = 0; b < batches; b++) {
        Batch batch = carried.feed(dataset.batch(Split.VALID, b, batchSize, false), b);
        Evaluation e = backend.evaluate(child, batch);
        carried.keep(batch, b, e.state());
        r += reward.reward(new ChildMetrics(e.loss(), e.accuracy(), child.parameterCount(), e.millis()));
        acc += e.accuracy();
      }
      Candidate c = new Candidate(a, r / batches, acc / batches);
      all.add(c);
      if (best == null || c.reward() > best.reward()) {
        best = c;
      }
    }
    Path out = run.resolve("derived");
    Files.createDirectories(out);
    write(out, best, all, cp, types);
    tensorBoard(run, out, best, cp.manifest().getGlobalStep());
    return new Result(all, best, out);
  }

  private void write(Path out, Candidate best, List<Candidate> all, CheckpointStore.Checkpoint cp, TypeRegistry types)
      throws IOException {
    String arch = space.format(best.architecture());
    AtomicFiles.write(out.resolve("arch.txt"), (arch + "\n").getBytes(StandardCharsets.UTF_8));
    dev.enas.proto.Architecture.Builder proto = dev.enas.proto.Architecture.newBuilder()
        .setSpace(config.plugin(PluginKind.SPACE).plugin().id()).setArchString(arch).setScore(best.reward())
        .setProvenance(provenance(cp));
    int i = 0;
    for (var p : space.schema().points()) {
      Decision.Builder d = Decision.newBuilder().setKey(p.key());
      for (int v : best.architecture().value(i++)) {
        d.addValues(v);
      }
      proto.addDecisions(d);
    }
    AtomicFiles.write(out.resolve("arch.pbtxt"),
        TextFormat.printer().usingTypeRegistry(types).printToString(proto.build()).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.resolve("arch.dot"), space.dot(best.architecture()).getBytes(StandardCharsets.UTF_8));
    StringBuilder csv = new StringBuilder("rank,reward,accuracy,arch\n");
    List<Candidate> sorted = new ArrayList<>(all);
    sorted.sort((a, b) -> Double.compare(b.reward(), a.reward()));
    for (int r = 0; r < sorted.size(); r++) {
      Candidate c = sorted.get(r);
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,\"%s\"%n", r + 1, c.reward(), c.accuracy(),
          space.format(c.architecture())));
    }
    AtomicFiles.write(out.resolve("candidates.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A new event file of its own in the run's {@code tb/}: the search's is rebuilt on a resume, this is kept. */
  private void tensorBoard(RunDirectory run, Path out, Candidate best, long step) throws IOException {
    try (TensorBoardLog tb = TensorBoardLog.create(EventLog.tensorBoardDir(run.path()), TensorBoardLog.DERIVE)) {
      tb.write(step, Summaries.text(TB_ARCH, space.format(best.architecture())),
          Summaries.scalar(TB_REWARD, best.reward()), Summaries.scalar(TB_ACCURACY, best.accuracy()));
      Path png = out.resolve("arch.png");
      if (GraphvizDot.render(out.resolve("arch.dot"), png)) {
        tb.image(TB_DIAGRAM, step, Files.readAllBytes(png));
      } else {
        Files.deleteIfExists(png);
        LOG.info("Graphviz 'dot' is missing or failed: the diagram of {} is not in TensorBoard (apt-get install "
            + "graphviz)", out);
      }
    }
  }

  private Provenance provenance(CheckpointStore.Checkpoint cp) {
    Provenance.Builder p = Provenance.newBuilder().setConfig(config.config()).setSeed(config.config().getSeed())
        .setDatasetDigest(dataset.digest()).setCreatedUnixMillis(System.currentTimeMillis())
        .setEnasVersion(String.valueOf(Deriver.class.getPackage().getImplementationVersion()))
        .setGitRevision(System.getProperty("enas.git.revision", "unknown"));
    for (PluginChoice c : config.plugins().values()) {
      p.putPluginVersions(c.plugin().id(), c.plugin().version());
    }
    return p.build();
  }
}
