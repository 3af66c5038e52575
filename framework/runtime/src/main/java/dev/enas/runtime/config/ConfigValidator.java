package dev.enas.runtime.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.dataset.DatasetInfo;
import dev.enas.api.dataset.DatasetProvider;
import dev.enas.api.dataset.Split;
import dev.enas.api.ir.Graph;
import dev.enas.api.ir.IrException;
import dev.enas.api.ir.Node;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.OptionException;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.reward.RewardProvider;
import dev.enas.api.schema.Architecture;
import dev.enas.api.schema.DecisionSchema;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import dev.enas.proto.RunConfig;
import dev.enas.proto.Schedule;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.train.Presets;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The one validation pass over a resolved run config that {@code enas validate}, {@code search}, {@code train},
 * {@code resume} and {@code derive} all run before any work, so that a config one of them accepts is accepted by all:
 * the run's own schedule and train fields, every plugin's options (each plugin builds what it would build for the
 * run, cheaply: a dataset reads its file headers, a backend checks its options without starting an engine), and the
 * space against the dataset (task, the {@code images} or {@code tokens} input and its shape, the logits' size). Sizes
 * are checked in 64 bits before anything of that size is allocated. Every refusal is a {@link ConfigException} that
 * gives the file, the line, the option and what is allowed.
 */
public final class ConfigValidator {
  /** The image input every image space names so; backends feed batches to it (see docs/validation.md). */
  public static final String IMAGES = "images";
  /** The token input of a language-model space. */
  public static final String TOKENS = "tokens";
  /** At most this many architectures are sampled by {@code enas derive}; each is a line of derived/candidates.csv. */
  static final int MAX_DERIVE_SAMPLES = 100_000;

  private final ResolvedConfig rc;
  private final ConfigLocations at;

  private ConfigValidator(ResolvedConfig rc) {
    this.rc = rc;
    this.at = rc.locations();
  }

  /** What the pass built and learned: the space and what the dataset says of itself. */
  public record Checked(SearchSpace space, DatasetInfo data) {}

  /** Runs the whole pass; throws a {@link ConfigException} at the first problem. */
  public static Checked check(ResolvedConfig rc) {
    return new ConfigValidator(rc).run();
  }

  private Checked run() {
    for (PluginKind kind : PluginKind.values()) {
      if (!rc.plugins().containsKey(kind)) {
        throw new ConfigException(at.file() + ": no " + kind.label() + " { id: ... } block; a run config names "
            + "one plugin of each kind: space, controller, reward, dataset and backend (enas plugins lists them)");
      }
    }
    RunConfig c = rc.config();
    Schedule s = c.getSchedule();
    checkSchedule(s);
    TrainSchedule t = checkTrain(c.getTrain());

    PluginChoice spaceChoice = rc.plugin(PluginKind.SPACE);
    SearchSpace space = space(spaceChoice.options(), "");
    Message finalOptions = Presets.finalPreset(spaceChoice.options());
    SearchSpace finalSpace = finalOptions.equals(spaceChoice.options()) ? space
        : space(finalOptions, " with the final preset that enas train uses");
    controller(space);
    reward();
    DatasetInfo data = dataset();
    backend();
    supportedOps(space, "");
    if (finalSpace != space) {
      supportedOps(finalSpace, " with the final preset that enas train uses");
    }

    checkFit(space, data, "");
    if (finalSpace != space) {
      checkFit(finalSpace, data, " with the final preset that enas train uses");
    }
    checkData(data, s, t);
    return new Checked(space, data);
  }

  // --- the run's own fields -------------------------------------------------------------------------------

  private void checkSchedule(Schedule s) {
    range("schedule.epochs", s.getEpochs(), 1, Integer.MAX_VALUE, "0 means 150");
    range("schedule.child_steps_per_epoch", s.getChildStepsPerEpoch(), 0, Integer.MAX_VALUE,
        "0 means one pass over the training split");
    range("schedule.child_batch_size", s.getChildBatchSize(), 1, Integer.MAX_VALUE, "0 means 160");
    range("schedule.controller_updates_per_epoch", s.getControllerUpdatesPerEpoch(), 0, Integer.MAX_VALUE,
        "0 means 30");
    range("schedule.controller_samples_per_update", s.getControllerSamplesPerUpdate(), 1, Integer.MAX_VALUE,
        "0 means 10");
    range("schedule.eval_batch_size", s.getEvalBatchSize(), 1, Integer.MAX_VALUE, "0 means child_batch_size");
    rates("schedule", s.getLrMax(), s.getLrMin());
    range("schedule.lr_t0", s.getLrT0(), 1, Integer.MAX_VALUE, "epochs of the first cosine cycle; 0 means 10");
    range("schedule.lr_t_mul", s.getLrTMul(), 1, Integer.MAX_VALUE, "0 means 2");
    range("schedule.checkpoint_every_epochs", s.getCheckpointEveryEpochs(), 1, Integer.MAX_VALUE, "0 means 1");
    range("schedule.derive_samples", s.getDeriveSamples(), 1, MAX_DERIVE_SAMPLES,
        "0 means 100; each is a line of derived/candidates.csv");
  }

  /** The train block as {@code enas train} will use it: negative values are refused, 0 means the default. */
  private TrainSchedule checkTrain(TrainSchedule raw) {
    range("train.epochs", raw.getEpochs(), 0, Integer.MAX_VALUE, "0 means 10");
    range("train.batch_size", raw.getBatchSize(), 0, Integer.MAX_VALUE, "0 means 128");
    range("train.steps_per_epoch", raw.getStepsPerEpoch(), 0, Integer.MAX_VALUE,
        "0 means one pass over the training split");
    range("train.lr_t0", raw.getLrT0(), 0, Integer.MAX_VALUE, "0 means one cosine over all epochs");
    range("train.lr_t_mul", raw.getLrTMul(), 0, Integer.MAX_VALUE, "0 means 1");
    range("train.test_batches", raw.getTestBatches(), 0, Integer.MAX_VALUE, "0 means the whole test split");
    range("train.eval_batch_size", raw.getEvalBatchSize(), 0, Integer.MAX_VALUE, "0 means train.batch_size");
    range("train.asgd_nonmono", raw.getAsgdNonmono(), 0, Integer.MAX_VALUE, "0 means 10 epochs");
    finite("train.lr_max", raw.getLrMax(), "0 means 0.05");
    finite("train.lr_min", raw.getLrMin(), "0 means 0.0001");
    TrainSchedule t = dev.enas.runtime.train.ChildTrainer.defaults(raw);
    rates("train", t.getLrMax(), t.getLrMin());
    return t;
  }

  private void rates(String block, double max, double min) {
    finite(block + ".lr_max", max, "");
    finite(block + ".lr_min", min, "");
    if (!(min <= max)) {
      throw new ConfigException(at.where(block + ".lr_min") + ": " + block + ".lr_min must be in [0, lr_max = "
          + number(max) + "], got " + number(min) + " (with defaults filled in)");
    }
  }

  private void finite(String path, double value, String note) {
    if (!(value >= 0 && Double.isFinite(value))) {
      throw new ConfigException(at.where(path) + ": " + path + " must be a finite value >= 0"
          + (note.isEmpty() ? "" : " (" + note + ")") + ", got " + number(value));
    }
  }

  private void range(String path, long value, long min, long max, String note) {
    if (value < min || value > max) {
      throw new ConfigException(at.where(path) + ": " + path + " must be in [" + min + ", " + max + "]"
          + (note.isEmpty() ? "" : " (" + note + ")") + ", got " + value);
    }
  }

  // --- the plugins ----------------------------------------------------------------------------------------

  @SuppressWarnings({"unchecked", "rawtypes"})
  private SearchSpace space(Message options, String variant) {
    PluginChoice c = rc.plugin(PluginKind.SPACE);
    return refusals(c, options, variant, () -> ((SearchSpaceProvider) c.plugin().provider()).create(options));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void controller(SearchSpace space) {
    PluginChoice c = rc.plugin(PluginKind.CONTROLLER);
    DecisionSchema schema = refusals(rc.plugin(PluginKind.SPACE), rc.plugin(PluginKind.SPACE).options(), "",
        space::schema);
    refusals(c, c.options(), "", () -> ((ControllerProvider) c.plugin().provider()).create(c.options(), schema,
        rc.config().getSeed()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void reward() {
    PluginChoice c = rc.plugin(PluginKind.REWARD);
    refusals(c, c.options(), "", () -> ((RewardProvider) c.plugin().provider()).create(c.options()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private DatasetInfo dataset() {
    PluginChoice c = rc.plugin(PluginKind.DATASET);
    return refusals(c, c.options(), "", () -> {
      try {
        return ((DatasetProvider) c.plugin().provider()).describe(c.options());
      } catch (IOException e) {
        throw new DataUnreadable(e);
      }
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void backend() {
    PluginChoice c = rc.plugin(PluginKind.BACKEND);
    refusals(c, c.options(), "", () -> {
      ((BackendProvider) c.plugin().provider()).validate(c.options());
      return null;
    });
  }

  /**
   * Refuses a space whose search supernet (every op any child may use) holds an op that the backend, created with
   * these options, does not implement, naming the op, where it is, and the backend.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void supportedOps(SearchSpace space, String variant) {
    PluginChoice b = rc.plugin(PluginKind.BACKEND);
    PluginChoice sc = rc.plugin(PluginKind.SPACE);
    java.util.Set<Class<? extends Op>> supported = refusals(b, b.options(), "",
        () -> ((BackendProvider) b.plugin().provider()).supportedOps(b.options()));
    Graph supernet = refusals(sc, sc.options(), variant, space::supernet);
    java.util.Map<Class<? extends Op>, String> missing = new java.util.LinkedHashMap<>();
    unsupported(supernet, supported, "", missing);
    if (!missing.isEmpty()) {
      List<String> each = new ArrayList<>();
      missing.forEach((k, where) -> each.add(k.getSimpleName() + " (" + where + ")"));
      throw new ConfigException(at.where("backend.id") + ": backend '" + b.plugin().id() + "' does not support "
          + (missing.size() == 1 ? "op " : "ops ") + String.join(", ", each) + ", which space '" + sc.plugin().id()
          + "'" + variant + " uses; choose a backend that implements " + (missing.size() == 1 ? "it" : "them")
          + " (enas plugins lists the backends) or space options without " + (missing.size() == 1 ? "it" : "them"));
    }
  }

  /** The op kinds of a graph (layer choices' candidates included) not in {@code supported}, with a first use. */
  private static void unsupported(Graph g, java.util.Set<Class<? extends Op>> supported, String prefix,
      java.util.Map<Class<? extends Op>, String> missing) {
    for (Node n : g.nodes()) {
      if (n instanceof Node.OpNode o) {
        Class<? extends Op> kind = o.op().getClass().asSubclass(Op.class);
        if (!supported.contains(kind) && !missing.containsKey(kind)) {
          missing.put(kind, o.op().label() + " at node " + prefix + o.id());
        }
      } else if (n instanceof Node.LayerChoice c) {
        for (int i = 0; i < c.candidates().size(); i++) {
          unsupported(c.candidates().get(i), supported, prefix + c.id() + "/" + c.names().get(i) + "/", missing);
        }
      }
    }
  }

  /** A dataset's files could not be read while it described itself. */
  private static final class DataUnreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataUnreadable(IOException cause) {
      super(cause);
    }
  }

  /**
   * Runs a plugin's own checks; a refusal becomes a config error at the line of the option it names (an
   * {@link OptionException}, or an option name found in the message), else at the plugin's block.
   */
  private <T> T refusals(PluginChoice c, Message options, String variant, java.util.function.Supplier<T> build) {
    String block = c.plugin().kind().label();
    String who = block + " '" + c.plugin().id() + "'" + variant;
    try {
      return build.get();
    } catch (OptionException e) {
      throw new ConfigException(whereOption(block, options, e.option()) + ": " + who + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException | IrException | ArithmeticException e) {
      String option = optionNamedIn(optionPaths(options), e.getMessage());
      throw new ConfigException(whereOption(block, options, option) + ": " + who + " rejected its options: "
          + text(e), e);
    } catch (DataUnreadable u) {
      IOException e = (IOException) u.getCause();
      List<String> paths = optionPaths(options);
      String option = optionNamedIn(paths, e.getMessage());
      if (option == null && (e instanceof java.io.FileNotFoundException || e instanceof NoSuchFileException)
          && paths.contains("path")) {
        option = "path";
      }
      String text = e instanceof NoSuchFileException ? "no such file: " + e.getMessage()
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied: " + e.getMessage() : text(e);
      throw new ConfigException(whereOption(block, options, option) + ": " + who + " cannot read its data"
          + (option == null ? "" : " (option " + option + ")") + ": " + text, e);
    }
  }

  /** {@code file:line} of a plugin's option (a field path, or a key of Struct options), else of its options. */
  private String whereOption(String block, Message options, String option) {
    Descriptor type = options.getDescriptorForType();
    if (option == null || option.isEmpty()) {
      return at.where(block + ".options", type);
    }
    if (options instanceof Struct struct) {
      int index = new ArrayList<>(struct.getFieldsMap().keySet()).indexOf(option);
      int line = index < 0 ? 0 : at.structEntryLine(block, List.of(index));
      return line > 0 ? at.file() + ":" + line : at.where(block + ".options", type);
    }
    return at.where(block + ".options." + option, type);
  }

  /** The option paths of a plugin's options: field paths of a typed message, keys of a Struct. */
  private List<String> optionPaths(Message options) {
    List<String> paths = new ArrayList<>();
    if (options instanceof Struct struct) {
      paths.addAll(struct.getFieldsMap().keySet());
      for (PluginChoice c : rc.plugins().values()) {
        if (c.options() == options && c.plugin().provider().defaultOptions() instanceof Struct known) {
          known.getFieldsMap().keySet().stream().filter(k -> !paths.contains(k)).forEach(paths::add);
        }
      }
      return paths;
    }
    collect(options.getDescriptorForType(), "", paths, 0);
    return paths;
  }

  /** The message of an exception for a user: never a Java class name. */
  static String text(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? "refused (no reason given; run with --verbose for details)" : m;
  }

  /**
   * The path of an option of {@code type} that a message names as a word (a nested one as {@code a.b} or by its
   * own name), the longest first; null when none. How a plain {@link IllegalArgumentException} finds its line.
   */
  static String optionNamedIn(Descriptor type, String message) {
    List<String> paths = new ArrayList<>();
    collect(type, "", paths, 0);
    return optionNamedIn(paths, message);
  }

  private static String optionNamedIn(List<String> candidates, String message) {
    if (message == null) {
      return null;
    }
    List<String> paths = new ArrayList<>(candidates);
    paths.sort(Comparator.comparingInt(String::length).reversed());
    java.util.regex.Matcher named = Pattern.compile("\\boption `?([\\w.]+)").matcher(message);
    while (named.find()) {
      if (paths.contains(named.group(1))) {
        return named.group(1);
      }
    }
    for (String p : paths) {
      if (Pattern.compile("(?<![\\w.])" + Pattern.quote(p) + "(?![\\w])").matcher(message).find()) {
        return p;
      }
    }
    for (String p : paths) {
      String leaf = p.substring(p.lastIndexOf('.') + 1);
      if (leaf.contains("_") || leaf.length() > 3) {
        if (Pattern.compile("(?<![\\w.])" + Pattern.quote(leaf) + "(?![\\w])").matcher(message).find()) {
          return p;
        }
      }
    }
    return null;
  }

  private static void collect(Descriptor type, String prefix, List<String> out, int depth) {
    if (depth > 4) {
      return;
    }
    for (FieldDescriptor f : type.getFields()) {
      out.add(prefix + f.getName());
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
        collect(f.getMessageType(), prefix + f.getName() + ".", out, depth + 1);
      }
    }
  }

  // --- the space against the dataset ---------------------------------------------------------------------

  /**
   * The backends' contract with a space, checked on one child: an image space has one input named
   * {@code images} of the dataset's example shape; a language model has an input {@code tokens} of shape [1]
   * (and may have {@code state}); the first output is the logits, one per class (or vocabulary word); no parameter
   * tensor holds more than 2^31 - 1 values.
   */
  private void checkFit(SearchSpace space, DatasetInfo data, String variant) {
    PluginChoice sc = rc.plugin(PluginKind.SPACE);
    String spaceWho = "space '" + sc.plugin().id() + "'" + variant;
    String dataWho = "dataset '" + rc.plugin(PluginKind.DATASET).plugin().id() + "'";
    String where = at.where("space.options", sc.options().getDescriptorForType());
    if (space.task() != data.task()) {
      throw new ConfigException(where + ": " + spaceWho + " is " + task(space.task()) + " but " + dataWho + " is "
          + task(data.task()) + "; choose a dataset of the same task");
    }
    Graph child = refusals(sc, sc.options(), variant, () -> {
      DecisionSchema schema = space.schema();
      Architecture a;
      try {
        a = schema.fromTokens(new int[schema.tokenCount()]);
      } catch (RuntimeException e) {
        a = schema.uniform(new SplittableRandom(rc.config().getSeed()));
      }
      Graph g = space.child(a);
      g.shapes();
      return g;
    });
    List<Op.Input> inputs = new ArrayList<>();
    for (Node.OpNode n : child.inputNodes()) {
      inputs.add((Op.Input) n.op());
    }
    List<String> names = inputs.stream().map(Op.Input::name).toList();
    if (data.task() == TaskKind.IMAGE_CLASSIFICATION) {
      if (inputs.size() != 1 || !inputs.get(0).name().equals(IMAGES)) {
        throw new ConfigException(where + ": " + spaceWho + " must have exactly one input, named \"" + IMAGES
            + "\", which backends feed the images to; its network has inputs " + names);
      }
      TensorShape want = inputs.get(0).shape();
      if (!want.equals(data.exampleShape())) {
        throw new ConfigException(where + ": " + spaceWho + " takes images of " + shape(want) + " but " + dataWho
            + " gives " + shape(data.exampleShape()) + "; set the space's image options (image_height, "
            + "image_width, image_channels in the shipped spaces) to the dataset's");
      }
    } else {
      if (!names.contains(TOKENS)) {
        throw new ConfigException(where + ": " + spaceWho + " must have an input named \"" + TOKENS
            + "\", which backends feed the token ids to; its network has inputs " + names);
      }
    }
    TensorShape logits = child.shapes().get(child.outputs().get(0));
    if (logits.rank() != 1 || logits.dim(0) != data.classes()) {
      String what = data.task() == TaskKind.LANGUAGE_MODEL ? "words in its vocabulary" : "classes";
      throw new ConfigException(where + ": " + spaceWho + "'s first output (its logits) has shape " + logits
          + " but " + dataWho + " has " + data.classes() + " " + what + "; set the space's "
          + (data.task() == TaskKind.LANGUAGE_MODEL ? "vocab_size" : "num_classes") + " to " + data.classes());
    }
    for (ParamSpec p : child.params()) {
      if (p.shape().size() > Integer.MAX_VALUE) {
        throw new ConfigException(where + ": " + spaceWho + " has a parameter " + p.key() + " of shape " + p.shape()
            + " (" + p.shape().size() + " values), more than a tensor may hold (2^31 - 1); lower its size options");
      }
    }
  }

  /** The data against the batch sizes that will read it, and the validation split that scores children. */
  private void checkData(DatasetInfo data, Schedule s, TrainSchedule t) {
    String dataWho = "dataset '" + rc.plugin(PluginKind.DATASET).plugin().id() + "'";
    Descriptor dataType = rc.plugin(PluginKind.DATASET).options().getDescriptorForType();
    if (data.size(Split.VALID) <= 0) {
      throw new ConfigException(at.where("dataset.options", dataType) + ": the validation split of " + dataWho
          + " is empty; the controller is trained on rewards scored on it, and enas train reports it each epoch "
          + "(give the dataset a validation split, e.g. a valid_size > 0)");
    }
    batch("schedule.child_batch_size", at.where("schedule.child_batch_size"), s.getChildBatchSize(), data,
        Split.TRAIN);
    batch("schedule.eval_batch_size", at.where("schedule.eval_batch_size"), s.getEvalBatchSize(), data, Split.VALID);
    boolean given = rc.config().getTrain().getBatchSize() != 0;
    batch(given ? "train.batch_size" : "train.batch_size (default 128)",
        at.where(given ? "train.batch_size" : "train"), t.getBatchSize(), data, Split.TRAIN);
    boolean evalGiven = t.getEvalBatchSize() > 0;
    for (Split split : List.of(Split.VALID, Split.TEST)) {
      if (evalGiven) {
        batch("train.eval_batch_size", at.where("train.eval_batch_size"), t.getEvalBatchSize(), data, split);
      } else {
        batch(given ? "train.batch_size" : "train.batch_size (default 128)",
            at.where(given ? "train.batch_size" : "train"), t.getBatchSize(), data, split);
      }
    }
  }

  private void batch(String path, String where, int size, DatasetInfo data, Split split) {
    long max = data.maxBatchSize(split);
    String dataWho = "dataset '" + rc.plugin(PluginKind.DATASET).plugin().id() + "'";
    String splitName = split == Split.VALID ? "validation" : split.name().toLowerCase(Locale.ROOT);
    if (max < 1 && data.size(split) > 0 && data.task() == TaskKind.LANGUAGE_MODEL) {
      // no batch size helps: one sequence (and its targets) is longer than the split
      Descriptor dataType = rc.plugin(PluginKind.DATASET).options().getDescriptorForType();
      throw new ConfigException(at.where("dataset.options", dataType) + ": the " + splitName + " split of " + dataWho
          + " holds " + data.size(split) + " tokens, fewer than one sequence of the dataset's length and its target "
          + "need; lower the dataset's sequence length (ptb: the steps option)");
    }
    if (size > max) {
      throw new ConfigException(where + ": " + path + " must be in [1, " + max + "], got " + size + ": the "
          + splitName + " split of " + dataWho + " (" + data.size(split) + " "
          + (data.task() == TaskKind.LANGUAGE_MODEL ? "tokens" : "examples") + ") gives batches of at most " + max);
    }
    long bytes = (long) size * Math.max(1, data.exampleShape().size()) * Float.BYTES;
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap / 4) {
      throw new ConfigException(where + ": " + path + " of " + size + " needs " + (bytes >> 20) + " MiB for one "
          + splitName + " batch, more than a quarter of the " + (heap >> 20) + " MiB this JVM may use; lower it, "
          + "or give Java more memory (ENAS_JAVA_OPTS=-Xmx...)");
    }
  }

  private static String task(TaskKind k) {
    return k == TaskKind.IMAGE_CLASSIFICATION ? "an image classifier" : "a language model";
  }

  private static String shape(TensorShape s) {
    int[] d = s.dims();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      b.append(i == 0 ? "" : "x").append(d[i]);
    }
    return b.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
