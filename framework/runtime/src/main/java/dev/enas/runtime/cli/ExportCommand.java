package dev.enas.runtime.cli;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.enas.api.ir.Graph;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.TaskKind;
import dev.enas.export.onnx.ExportException;
import dev.enas.export.onnx.ExportSettings;
import dev.enas.export.onnx.ModelWeights;
import dev.enas.export.onnx.OnnxExporter;
import dev.enas.proto.onnx.ModelProto;
import dev.enas.runtime.ProjectVersion;
import dev.enas.runtime.checkpoint.AtomicFiles;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ResolvedConfig;
import dev.enas.runtime.plugin.PluginHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code enas export OUT --format onnx}: the model a finished {@code enas train} left in OUT/model/ as an ONNX file,
 * built from the IR and the weights file (so it works for a model trained on any backend), no engine involved.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a finished `enas train` output (OUT/model/) as an ONNX model (opset "
        + OnnxExporter.OPSET + ", dynamic batch), written from the network IR and the weights file: it works for a "
        + "model trained on any backend.",
        "Image classifiers: input images [batch, H, W, C] float (NHWC, normalised as the dataset feeds them), output "
            + "logits [batch, classes]. Language models: inputs tokens [batch, SEQ_LEN] int64 and hidden [batch, H] "
            + "float (zeros to start), outputs logits [batch, SEQ_LEN, vocabulary] and hidden_out [batch, H].",
        "Score the file on a dataset with: enas evaluate MODEL.onnx --config OUT"})
public final class ExportCommand implements Callable<Integer> {
  @Mixin
  HostOptions host;

  @Parameters(index = "0", paramLabel = "OUT_DIR", description = "The output directory of a finished enas train.")
  Path dir;

  @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
      description = "onnx, or savedmodel (a TensorFlow SavedModel directory, written by the tensorflow backend "
          + "whichever backend trained the model) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", paramLabel = "FILE",
      description = "The model file (default: OUT_DIR/model.onnx; savedmodel: the directory OUT_DIR/savedmodel).")
  Path out;

  @Option(names = "--force", description = "Replace the model file if it exists.")
  boolean force;

  @Option(names = "--seq-len", paramLabel = "N", defaultValue = "" + ExportSettings.DEFAULT_SEQUENCE_LENGTH,
      description = "Language models: the steps the cell is unrolled over (default: ${DEFAULT-VALUE}); "
          + "enas evaluate MODEL.onnx needs the dataset's sequence length.")
  int seqLen;

  @Option(names = "--bn-eval", paramLabel = "MODE",
      description = "moving-averages or batch-statistics: which statistics batch norm uses (default: the trained "
          + "config's backend bn_eval, as enas evaluate does; moving-averages when unset).")
  String bnEval;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    String fmt = format.toLowerCase(Locale.ROOT);
    if (fmt.equals("savedmodel")) {
      return savedModel(w);
    }
    if (!fmt.equals("onnx")) {
      throw new ConfigException("--format must be onnx or savedmodel, got '" + format + "'");
    }
    if (seqLen < 1) {
      throw new ConfigException("--seq-len must be at least 1, got " + seqLen);
    }
    EvaluateCommand.requireFinishedTraining(dir);
    Path target = out != null ? out : dir.resolve("model.onnx");
    if (Files.exists(target) && !force) {
      throw new ConfigException(target + " exists; pass --force to replace it, or choose another --out");
    }
    if (Files.isDirectory(target)) {
      throw new ConfigException(target + " is a directory; --out names the model file to write");
    }
    try (PluginHost h = host.open(); TrainedModel tm = TrainedModel.open(h, dir, rc -> rc)) {
      ResolvedConfig rc = tm.config();
      String spaceId = tm.spaceId();
      SearchSpace space = tm.space();
      String archText = tm.archText();
      Graph child = tm.child();
      Path weightsFile = tm.weightsFile();
      ModelWeights weights;
      try {
        weights = ModelWeights.read(weightsFile, spaceId);
      } catch (IOException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      Message backendOptions = rc.plugin(PluginKind.BACKEND).options();
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("enas_version", ProjectVersion.maven());
      meta.put("enas_space", spaceId);
      meta.put("enas_architecture", archText);
      meta.put("enas_dataset", rc.plugin(PluginKind.DATASET).plugin().id());
      meta.put("enas_trained_on", rc.plugin(PluginKind.BACKEND).plugin().id());
      ExportSettings.BatchNormMode bn = batchNorm(backendOptions);
      meta.put("enas_bn_eval", bn.name());
      boolean lm = space.task() == TaskKind.LANGUAGE_MODEL;
      if (lm) {
        meta.put("enas_seq_len", Integer.toString(seqLen));
      }
      ExportSettings settings = new ExportSettings(bnEpsilon(backendOptions), bn, seqLen, meta);
      ModelProto m;
      try {
        m = OnnxExporter.export(child, weights, settings);
      } catch (ExportException e) {
        throw new ConfigException("cannot export " + dir + ": " + e.getMessage(), e);
      }
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      AtomicFiles.write(target, m.toByteArray());
      w.println("wrote " + target + " (ONNX opset " + OnnxExporter.OPSET + ", " + m.getGraph().getNodeCount()
          + " nodes, " + child.parameterCount() + " parameters)");
      w.println(m.getDocString());
      w.println("evaluate it with: enas evaluate " + target + " --config " + dir);
    }
    return 0;
  }

  /**
   * {@code --format savedmodel}: the TensorFlow backend (whichever backend trained the model: the weights file is
   * portable) loads the weights and writes the child as a SavedModel with a {@code serving_default} signature.
   */
  private int savedModel(PrintWriter w) throws Exception {
    EvaluateCommand.requireFinishedTraining(dir);
    Path target = out != null ? out : dir.resolve("savedmodel");
    if (Files.exists(target)) {
      if (!force) {
        throw new ConfigException(target + " exists; pass --force to replace it, or choose another --out");
      }
      if (!Files.isRegularFile(target.resolve("saved_model.pb"))) {
        throw new ConfigException(target + " exists and is not a SavedModel (no saved_model.pb); --force replaces "
            + "only a SavedModel: choose another --out");
      }
      AtomicFiles.deleteTree(target);
    }
    try (PluginHost h = host.open(); TrainedModel tm = TrainedModel.open(h, dir, rc -> tensorflow(rc, h))) {
      SearchSpace space = tm.space();
      Graph child = tm.child();
      dev.enas.api.backend.Backend b = tm.backendWithWeights();
      dev.enas.api.dataset.Batch like = tm.dataset()
          .batch(dev.enas.api.dataset.Split.TEST, 0, tm.schedule().getBatchSize(), false);
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      b.exportModel(child, like, target);
      boolean lm = space.task() == TaskKind.LANGUAGE_MODEL;
      w.println("wrote " + target + " (TensorFlow SavedModel, tag serve, signature serving_default: "
          + (lm ? "tokens [batch, " + ((dev.enas.api.dataset.Batch.Tokens) like).steps() + "] int32, state "
              + "[batch, H] float -> logits [batch, steps, vocabulary], state_out"
              : "images [batch, H, W, C] float -> logits [batch, classes]") + ")");
    }
    return 0;
  }

  /** The config moved to the tensorflow backend, which writes SavedModels. */
  private static ResolvedConfig tensorflow(ResolvedConfig rc, PluginHost h) {
    try {
      return RunSession.switched(rc, h, "tensorflow");
    } catch (RuntimeException e) {
      throw new ConfigException("--format savedmodel needs the tensorflow backend plugin: " + e.getMessage(), e);
    }
  }

  /** The backend's {@code bn_epsilon} (both backends name it so), else the backends' default. */
  private static double bnEpsilon(Message options) {
    FieldDescriptor f = options.getDescriptorForType().findFieldByName("bn_epsilon");
    return f != null && options.hasField(f) ? ((Number) options.getField(f)).doubleValue()
        : ExportSettings.DEFAULT_BN_EPSILON;
  }

  /** {@code --bn-eval}, else the backend's {@code bn_eval}: what {@code enas evaluate} normalises with. */
  private ExportSettings.BatchNormMode batchNorm(Message options) {
    if (bnEval != null) {
      return switch (bnEval.toLowerCase(Locale.ROOT).replace('_', '-')) {
        case "moving-averages" -> ExportSettings.BatchNormMode.MOVING_AVERAGES;
        case "batch-statistics" -> ExportSettings.BatchNormMode.BATCH_STATISTICS;
        default -> throw new ConfigException("--bn-eval must be moving-averages or batch-statistics, got '"
            + bnEval + "'");
      };
    }
    FieldDescriptor f = options.getDescriptorForType().findFieldByName("bn_eval");
    if (f != null && f.getType() == FieldDescriptor.Type.ENUM
        && ((EnumValueDescriptor) options.getField(f)).getName().equals("BATCH_STATISTICS")) {
      return ExportSettings.BatchNormMode.BATCH_STATISTICS;
    }
    return ExportSettings.BatchNormMode.MOVING_AVERAGES;
  }
}
