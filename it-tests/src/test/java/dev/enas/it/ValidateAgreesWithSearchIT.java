package dev.enas.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.proto.PluginRef;
import dev.enas.proto.RunConfig;
import dev.enas.runtime.cli.Main;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property of issue 13: {@code enas validate} accepts exactly what {@code enas search} accepts. Every numeric
 * option of every shipped config (conf/*.pbtxt), the run's own and each of its plugins' (set or not), is set in
 * turn to 0, -1, a huge value and just over the size of the data; then validate and search run on the result,
 * in this JVM through {@link Main#run}, on the real spaces, controllers, rewards and datasets (over small data
 * files written here) and on {@link ProbeBackendProvider} in place of TensorFlow (it takes TensorFlow's options,
 * checks them with TensorFlow's own check and the backends' contract with every child and batch, and computes
 * nothing). The property holds when
 * <ul>
 *   <li>validate never fails at run time (exit 1);
 *   <li>what validate refuses (exit 2), search refuses with the same message, before creating the run directory;
 *   <li>what validate accepts, search runs: it ends (exit 0) or is stopped by the probe after a dozen steps; for a
 *       mutated schedule or train block derive then does the same, and train for a mutated train block.
 * </ul>
 * The shipped configs keep their values but for the data location (and a validation split the small data has
 * room for) and a search budget of one epoch of a few steps; a mutation of a budget field gets its own value.
 * Each (plugin or block, option, value) is tried once, in the first config that has it (sorted by name);
 * schedule and train fields once for images and once for tokens, whose sizes they meet.
 */
class ValidateAgreesWithSearchIT {
  static {
    // A thousand searches: keep their progress lines out of the test's output.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }

  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  /** How the accepted mutations ended, for the summary line: search, derive and train runs, and probe stops. */
  private final Map<String, Integer> outcomes = new java.util.TreeMap<>();

  private void count(String outcome) {
    outcomes.merge(outcome, 1, Integer::sum);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void validateAndSearchAgreeOnEveryMutationOfTheShippedConfigs() throws Exception {
    List<Path> configs;
    try (Stream<Path> s = Files.list(Distribution.built().resolve("conf"))) {
      // run configs only: sweep-*.pbtxt are sweep configs (enas sweep), whose base config is among these
      configs = s.filter(p -> p.toString().endsWith(".pbtxt") && !p.getFileName().toString().startsWith("sweep-"))
          .sorted().toList();
    }
    assertTrue(configs.size() >= 6, configs.toString());
    ShippedData data = ShippedData.write(tmp.resolve("data"));

    ConfigLoader loader;
    Map<String, Descriptor> optionTypes = new LinkedHashMap<>();
    try (PluginHost host = PluginHost.fromClasspath()) {
      loader = new ConfigLoader(host.registry());
      for (PluginDescriptor d : host.registry().all()) {
        optionTypes.put(d.kind().label() + ":" + d.id(), d.provider().defaultOptions().getDescriptorForType());
      }
    }

    Set<String> tried = new HashSet<>();
    List<String> disagreements = new ArrayList<>();
    int mutants = 0;
    int accepted = 0;
    long started = System.nanoTime();
    for (Path shipped : configs) {
      String text = adapt(Files.readString(shipped), data);
      RunConfig base = shrink(loader.parse(shipped.toString(), text));
      // Schedule and train values meet the data through its sizes: one image dataset stands for both.
      String dataset = base.getDataset().getId().equals("ptb") ? "tokens" : "images";
      long dataSize = dataset.equals("tokens") ? data.ptbTrainTokens() : ShippedData.TRAIN_IMAGES;
      // Every numeric field, where it lives: the run's own, then each plugin's options.
      List<Mutation> mutations = new ArrayList<>();
      for (String block : List.of("schedule", "train")) {
        FieldDescriptor f = RunConfig.getDescriptor().findFieldByName(block);
        for (FieldDescriptor field : f.getMessageType().getFields()) {
          for (Object value : values(field, dataSize)) {
            mutations.add(new Mutation(dataset + "/" + block, block, null, List.of(field), value));
          }
        }
      }
      for (Object value : values(RunConfig.getDescriptor().findFieldByName("seed"), dataSize)) {
        mutations.add(new Mutation("run", "seed", null, List.of(), value));
      }
      for (String block : List.of("space", "controller", "reward", "dataset", "backend")) {
        PluginRef ref = (PluginRef) base.getField(RunConfig.getDescriptor().findFieldByName(block));
        Descriptor type = optionTypes.get(block + ":" + ref.getId());
        for (List<FieldDescriptor> path : numericFields(type, List.of())) {
          for (Object value : values(path.get(path.size() - 1), dataSize)) {
            mutations.add(new Mutation(block + ":" + ref.getId(), block, type, path, value));
          }
        }
      }
      for (Mutation m : mutations) {
        if (!tried.add(m.key())) {
          continue;
        }
        mutants++;
        String name = shipped.getFileName().toString().replace(".pbtxt", "") + "-" + mutants;
        Path cfg = tmp.resolve(name + ".pbtxt");
        Files.writeString(cfg, TextFormat.printer().usingTypeRegistry(loader.typeRegistry())
            .printToString(m.apply(base)));
        String problem = check(cfg, tmp.resolve("runs/" + name), m);
        if (problem == null) {
          continue;
        }
        if (problem.isEmpty()) {
          accepted++;
        } else {
          disagreements.add(shipped.getFileName() + " with " + m + ": " + problem);
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("%d mutations of %d shipped configs, %d accepted by validate, in %.0f s; %s%n", mutants,
        configs.size(), accepted, seconds, outcomes);
    assertTrue(mutants > 200, "expected hundreds of mutations, made " + mutants);
    assertTrue(accepted > 30 && accepted < mutants - 30, "both outcomes are exercised: " + accepted + " accepted of "
        + mutants);
    assertEquals(List.of(), disagreements, disagreements.size() + " disagreements");
  }

  /**
   * Runs validate, then search (and derive, and train for the train block) on one mutated config: null when both
   * refused it alike, "" when both accepted it, else what went wrong.
   */
  private String check(Path cfg, Path runDir, Mutation m) {
    int v = run("validate", cfg.toString());
    String verr = err.toString().trim();
    if (v != 0 && v != 2) {
      return "validate failed at run time (exit " + v + "): " + verr;
    }
    int s = run("search", cfg.toString(), "--run-dir", runDir.toString(), "--stop-after-epochs", "1");
    String serr = err.toString().trim();
    if (v == 2) {
      if (s != 2 || !serr.equals(verr)) {
        return "validate refused it (" + verr + ") but search exited " + s + ": " + serr;
      }
      if (Files.exists(runDir)) {
        return "search refused it but created " + runDir;
      }
      count("refused by both");
      return null;
    }
    if (!ran("search", s, serr)) {
      return "validate accepted it but search exited " + s + ": " + serr;
    }
    if (s != 0 || !m.block().equals("schedule") && !m.block().equals("train")) {
      return "";
    }
    // derive reads the schedule (derive_samples, eval_batch_size), train its block: each is run on those.
    int d = run("derive", runDir.toString());
    if (!ran("derive", d, err.toString())) {
      return "validate accepted it but derive exited " + d + ": " + err.toString().trim();
    }
    if (d == 0 && m.block().equals("train")) {
      int t = run("train", cfg.toString(), "--search-preset", "--arch", "@" + runDir.resolve("derived/arch.txt"),
          "--out", runDir.resolveSibling(runDir.getFileName() + "-train").toString());
      if (!ran("train", t, err.toString())) {
        return "validate accepted it but train exited " + t + ": " + err.toString().trim();
      }
    }
    return "";
  }

  /** The command ran: it ended, or the probe stopped it while it was working. */
  private boolean ran(String command, int exit, String err) {
    boolean ran = exit == 0 || exit == 1 && err.contains(ProbeBackendProvider.STOP);
    if (ran) {
      count(command + (exit == 0 ? " ended" : " stopped by the probe"));
    }
    return ran;
  }

  /** One option set to one value. */
  private record Mutation(String owner, String block, Descriptor optionsType, List<FieldDescriptor> path,
      Object value) {
    String key() {
      return owner + "." + name() + "=" + value;
    }

    String name() {
      StringBuilder b = new StringBuilder(block);
      if (optionsType != null) {
        b.append(".options");
      }
      for (FieldDescriptor f : path) {
        b.append('.').append(f.getName());
      }
      return b.toString();
    }

    RunConfig apply(RunConfig c) throws IOException {
      RunConfig.Builder b = c.toBuilder();
      if (block.equals("seed")) {
        return b.setSeed((Long) value).build();
      }
      FieldDescriptor blockField = RunConfig.getDescriptor().findFieldByName(block);
      if (optionsType == null) {
        Message.Builder inner = ((Message) c.getField(blockField)).toBuilder();
        inner.setField(path.get(0), value);
        return b.setField(blockField, inner.build()).build();
      }
      PluginRef ref = (PluginRef) c.getField(blockField);
      Message options = ref.hasOptions() ? DynamicMessage.parseFrom(optionsType, ref.getOptions().getValue())
          : DynamicMessage.getDefaultInstance(optionsType);
      Message changed = set(options, path, value);
      Any any = Any.newBuilder().setTypeUrl("type.googleapis.com/" + optionsType.getFullName())
          .setValue(changed.toByteString()).build();
      return b.setField(blockField, ref.toBuilder().setOptions(any).build()).build();
    }

    private static Message set(Message m, List<FieldDescriptor> path, Object value) {
      Message.Builder b = m.toBuilder();
      FieldDescriptor f = path.get(0);
      if (path.size() == 1) {
        b.setField(f, value);
      } else {
        b.setField(f, set((Message) m.getField(f), path.subList(1, path.size()), value));
      }
      return b.build();
    }

    @Override
    public String toString() {
      return name() + " = " + value;
    }
  }

  /** Paths to every singular numeric field of {@code type}, nested messages included. */
  private static List<List<FieldDescriptor>> numericFields(Descriptor type, List<FieldDescriptor> prefix) {
    List<List<FieldDescriptor>> out = new ArrayList<>();
    for (FieldDescriptor f : type.getFields()) {
      if (f.isRepeated()) {
        continue;
      }
      List<FieldDescriptor> path = new ArrayList<>(prefix);
      path.add(f);
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (prefix.size() < 3) {
          out.addAll(numericFields(f.getMessageType(), path));
        }
      } else if (!values(f, 1).isEmpty()) {
        out.add(path);
      }
    }
    return out;
  }

  /** 0, negative, huge and just over the data size, as the field's type can hold them. */
  private static List<Object> values(FieldDescriptor f, long dataSize) {
    return switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> List.of(0, -1, Integer.MAX_VALUE, (int) Math.min(Integer.MAX_VALUE, dataSize + 1));
      case INT64, SINT64, SFIXED64 -> List.of(0L, -1L, Long.MAX_VALUE, dataSize + 1);
      case UINT32, FIXED32 -> List.of(0, -1, (int) (dataSize + 1));
      case UINT64, FIXED64 -> List.of(0L, -1L, dataSize + 1);
      case DOUBLE -> List.of(0.0, -1.0, 1e300);
      case FLOAT -> List.of(0.0f, -1.0f, 3e38f);
      default -> List.of();
    };
  }

  /** The shipped config on this test's data and backend. */
  private static String adapt(String text, ShippedData data) {
    return data.adapt(text).replace("id: \"tensorflow\"", "id: \"probe\"");
  }

  /** A search budget of one short epoch, a derive of two samples, a training of two steps. */
  private static RunConfig shrink(RunConfig c) {
    RunConfig.Builder b = c.toBuilder();
    b.getScheduleBuilder().setChildStepsPerEpoch(Math.min(2, c.getSchedule().getChildStepsPerEpoch()))
        .setControllerUpdatesPerEpoch(1).setControllerSamplesPerUpdate(2).setDeriveSamples(2);
    b.getTrainBuilder().setEpochs(1).setStepsPerEpoch(2).setTestBatches(1);
    return b.build();
  }
}
