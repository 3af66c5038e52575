package dev.enas.runtime.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.enas.api.backend.Backend;
import dev.enas.api.dataset.Dataset;
import dev.enas.api.dataset.Split;
import dev.enas.api.space.TaskKind;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.checkpoint.CheckpointStore;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.config.ConfigValidator;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.rundir.RunDirectory;
import dev.enas.runtime.train.ChildTrainer;
import dev.enas.runtime.wiring.RunModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code enas evaluate OUT}: loads what {@code enas train} left in OUT/model/ (the config trained with, the
 * architecture, the final weights) and scores it on a split, on the backend it was trained on or, with
 * {@code --backend}, on another: the weights file is backend-independent.
 */
@Command(name = "evaluate", aliases = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a finished `enas train` output (OUT/model/: config, architecture, final weights) on a "
        + "split and report its loss and accuracy (perplexity for a language model).",
        "On the backend it was trained on, the numbers are those enas train printed; --backend evaluates it on "
            + "another backend plugin (the config's backend options carried over by field name).",
        "Given MODEL.onnx (from enas export), ONNX Runtime scores that file on the dataset of --config (a train "
            + "output directory or a config file; default: the directory the file is in) with the same batches."})
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "OUT_DIR|MODEL.onnx",
      description = "The output directory of a finished enas train, or an ONNX model enas export wrote.")
  Path dir;

  @Option(names = "--config", paramLabel = "OUT_DIR|CONFIG",
      description = "For MODEL.onnx: the train output directory (its model/config.pbtxt) or the config file whose "
          + "dataset and train block (batch size, test batches) to score with.")
  Path config;

  @Option(names = "--backend", paramLabel = "ID", description = "Evaluate on this backend plugin.")
  String backend;

  @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
      description = "test or valid (default: ${DEFAULT-VALUE}).")
  String split;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    Split which = switch (split.toLowerCase(Locale.ROOT)) {
      case "test" -> Split.TEST;
      case "valid", "validation" -> Split.VALID;
      default -> throw new ConfigException("--split must be test or valid, got '" + split + "'");
    };
    if (dir.getFileName() != null && dir.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      return evaluateOnnx(w, which);
    }
    if (config != null) {
      throw new ConfigException("--config applies to an ONNX model (enas evaluate MODEL.onnx --config OUT); "
          + dir + " is evaluated with the config in its model/");
    }
    try (PluginHost h = host.open();
        TrainedModel m = TrainedModel.open(h, dir, rc -> RunSession.switched(rc, h, backend))) {
      Backend b = m.backendWithWeights();
      ChildTrainer trainer = new ChildTrainer(m.space(), m.dataset(), b, m.spaceId(), m.backendId(),
          m.config().config());
      ChildTrainer.Score s = trainer.score(m.child(), which, m.schedule());
      report(w, which, m.backendId() + " on " + b.device(), m.space().task() == TaskKind.LANGUAGE_MODEL, s);
    }
    return 0;
  }

  /** {@code evaluate MODEL.onnx}: ONNX Runtime on the batches {@code enas evaluate} scores a trained model on. */
  private int evaluateOnnx(PrintWriter w, Split which) throws Exception {
    if (backend != null) {
      throw new ConfigException("--backend does not apply to an ONNX model: ONNX Runtime runs it");
    }
    Path source = config;
    if (source == null) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent == null || !Files.isRegularFile(parent.resolve(ChildTrainer.MODEL_DIR)
          .resolve(ChildTrainer.MODEL_CONFIG))) {
        throw new ConfigException("pass --config OUT_DIR (the enas train output the model was exported from) or "
            + "--config CONFIG.pbtxt: " + dir + " is not inside a train output directory, so its dataset is unknown");
      }
      source = parent;
    }
    try (PluginHost h = host.open()) {
      ConfigLoader loader = new ConfigLoader(h.registry());
      ResolvedConfig rc;
      if (Files.isDirectory(source)) {
        Path file = requireFinishedTraining(source).resolve(ChildTrainer.MODEL_CONFIG);
        ConfigLoader.Parsed parsed = loader.parseWithLocations(file.toString(), Files.readString(file));
        rc = loader.resolve(file, parsed.config(), parsed.locations());
      } else {
        rc = loader.load(source);
      }
      ConfigValidator.check(rc);
      TrainSchedule t = ChildTrainer.defaults(rc.config().getTrain());
      try (RunModule module = new RunModule(rc);
          dev.enas.runtime.onnx.OnnxEvaluator model = new dev.enas.runtime.onnx.OnnxEvaluator(dir)) {
        Injector inj = Guice.createInjector(module);
        Dataset data = RunSession.get(inj, Dataset.class);
        ChildTrainer.Score s = ChildTrainer.score(data, which, ChildTrainer.evalBatchSize(t),
            which == Split.TEST ? t.getTestBatches() : 0, model::evaluate);
        report(w, which, model.device(), data.task() == TaskKind.LANGUAGE_MODEL, s);
      }
    }
    return 0;
  }

  private static void report(PrintWriter w, Split which, String device, boolean lm, ChildTrainer.Score s) {
    String name = which == Split.TEST ? "test" : "valid";
    w.println("split: " + name);
    w.println("backend: " + device);
    w.println("loss: " + s.loss());
    w.println("accuracy: " + s.accuracy());
    if (lm) {
      w.println("perplexity: " + Math.exp(s.loss()));
    }
    w.println("examples: " + s.examples());
    if (lm) {
      w.printf(Locale.ROOT, "%s perplexity %.2f (loss %.4f) on %d sequences%n", name, Math.exp(s.loss()),
          s.loss(), s.examples());
    } else {
      w.printf(Locale.ROOT, "%s accuracy %.4f (loss %.4f) on %d examples%n", name, s.accuracy(), s.loss(),
          s.examples());
    }
  }

  /** OUT/model/ with everything evaluate reads; else a usage error that says what OUT holds and what to run. */
  static Path requireFinishedTraining(Path out) throws IOException {
    Path model = out.resolve(ChildTrainer.MODEL_DIR);
    String what = "enas train CONFIG --arch ARCH --out " + out;
    if (!Files.isDirectory(out)) {
      throw new ConfigException(out + " does not exist; evaluate reads the output of `" + what + "`");
    }
    if (Files.exists(out.resolve(RunDirectory.CONFIG))) {
      throw new ConfigException(out + " is a search's run directory (" + RunDirectory.CONFIG + "), not the output "
          + "of enas train; derive its architecture (enas derive " + out + ") and train it (enas train CONFIG --arch @"
          + out.resolve("derived/arch.txt") + " --out DIR), then evaluate DIR");
    }
    List<String> missing = new ArrayList<>();
    for (String f : List.of(ChildTrainer.MODEL_METRICS, ChildTrainer.MODEL_WEIGHTS, ChildTrainer.MODEL_ARCH,
        ChildTrainer.MODEL_CONFIG)) {
      if (!Files.isRegularFile(model.resolve(f))) {
        missing.add(ChildTrainer.MODEL_DIR + "/" + f);
      }
    }
    if (missing.isEmpty()) {
      return model;
    }
    CheckpointStore store = new CheckpointStore(out, 2);
    List<Path> cps = store.checkpoints();
    if (!Files.isDirectory(model) && !cps.isEmpty()) {
      throw new ConfigException(out + " holds an unfinished training (checkpoints up to "
          + cps.get(cps.size() - 1).getFileName() + ", no " + ChildTrainer.MODEL_DIR + "/); finish it by running the "
          + "same enas train command again, then evaluate");
    }
    if (Files.isDirectory(model)) {
      throw new ConfigException(out + "/" + ChildTrainer.MODEL_DIR + " lacks " + String.join(", ", missing)
          + (missing.contains(ChildTrainer.MODEL_DIR + "/" + ChildTrainer.MODEL_CONFIG) && missing.size() == 1
              ? " (written by enas train since evaluate exists; an older training has none)" : "")
          + "; train it again with `" + what + " --restart`");
    }
    throw new ConfigException(out + " is not the output of enas train (it holds " + contents(out) + "); run `"
        + what + "` first");
  }

  private static String contents(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(p -> names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
    }
    names.sort(null);
    return names.isEmpty() ? "nothing" : String.join(", ", names.size() > 8 ? names.subList(0, 8) : names)
        + (names.size() > 8 ? ", ..." : "");
  }
}
