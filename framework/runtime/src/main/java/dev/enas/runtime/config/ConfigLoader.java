package dev.enas.runtime.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TypeRegistry;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.PluginRef;
import dev.enas.proto.RunConfig;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.plugin.UnknownPluginException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads run configs in protobuf text format and resolves them against the plugin registry. Each
 * plugin's options are its own message inside an {@code Any}, so a misspelled option is a parse error
 * with file, line and column, like any other typo.
 */
public final class ConfigLoader {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
  private final PluginRegistry registry;

  public ConfigLoader(PluginRegistry registry) {
    this.registry = registry;
  }

  /** Parses and resolves a config file. */
  public ResolvedConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Parsed p = parseWithLocations(file.toString(), text);
    return resolve(file, p.config(), p.locations());
  }

  /** A parsed config with the location of every field it sets. */
  public record Parsed(RunConfig config, ConfigLocations locations) {}

  /** Parses text format; a syntax error or unknown field names the file, line and column. */
  public RunConfig parse(String fileName, String text) {
    return parseWithLocations(fileName, text).config();
  }

  /**
   * Parses text format, keeping where each field was written. A syntax error, an unknown field or a field set twice
   * (also inside a plugin's options) names the file, line and column.
   */
  public Parsed parseWithLocations(String fileName, String text) {
    TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
    TextFormat.Parser parser = TextFormat.Parser.newBuilder().setTypeRegistry(typeRegistry())
        .setSingularOverwritePolicy(TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
        .setParseInfoTreeBuilder(tree).build();
    RunConfig.Builder b = RunConfig.newBuilder();
    try {
      parser.merge(text, b);
    } catch (TextFormat.ParseException e) {
      String where = e.getLine() > 0 ? fileName + ":" + e.getLine() + ":" + e.getColumn() : fileName;
      throw new ConfigException(where + ": " + message(e.getMessage()) + hint(e.getMessage()), e);
    }
    return new Parsed(b.build(), new ConfigLocations(fileName, tree.build()));
  }

  /** Checks plugin ids and unpacks every options message; fills schedule defaults. */
  public ResolvedConfig resolve(Path source, RunConfig config) {
    return resolve(source, config, ConfigLocations.none(String.valueOf(source)));
  }

  /** Checks plugin ids and unpacks every options message; fills schedule defaults; errors give the line. */
  public ResolvedConfig resolve(Path source, RunConfig config, ConfigLocations locations) {
    Map<PluginKind, PluginChoice> plugins = new EnumMap<>(PluginKind.class);
    for (PluginKind kind : PluginKind.values()) {
      PluginRef ref = ref(config, kind);
      if (ref == null) {
        continue;
      }
      String block = kind.label();
      if (ref.getId().isEmpty()) {
        throw new ConfigException(locations.where(block) + ": " + block + " block has no id; available: "
            + String.join(", ", registry.ids(kind)));
      }
      PluginDescriptor d;
      try {
        // jar: picks one of two jars that provide the id (a conflict); without it such an id is an error naming both
        d = registry.get(kind, ref.getId(), ref.getJar());
      } catch (UnknownPluginException e) {
        throw new UnknownPluginException(locations.where(block + ".id") + ": " + e.getMessage());
      }
      Message options = unpack(locations, kind, d, ref);
      StructOptions.checkKeys(locations, block, d, options);
      plugins.put(kind, new PluginChoice(d, options));
    }
    RunConfig withDefaults = config.toBuilder().setSchedule(ScheduleDefaults.apply(config.getSchedule())).build();
    return new ResolvedConfig(source, withDefaults, plugins, locations);
  }

  /** The options of a plugin reference, or the plugin's defaults when none are given. */
  public static Message unpack(Path source, PluginKind kind, PluginDescriptor d, PluginRef ref) {
    return unpack(ConfigLocations.none(String.valueOf(source)), kind, d, ref);
  }

  private static Message unpack(ConfigLocations locations, PluginKind kind, PluginDescriptor d, PluginRef ref) {
    Message defaults = d.provider().defaultOptions();
    if (!ref.hasOptions()) {
      return defaults;
    }
    Any any = ref.getOptions();
    Descriptor expected = defaults.getDescriptorForType();
    String given = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    String where = locations.where(kind.label() + ".options");
    if (!given.equals(expected.getFullName())) {
      throw new ConfigException(where + ": " + kind.label() + " '" + d.id() + "' takes options of type "
          + expected.getFullName() + ", got " + given + "; write options { [" + TYPE_URL_PREFIX
          + expected.getFullName() + "] { ... } }");
    }
    try {
      return defaults.getParserForType().parseFrom(any.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException(where + ": cannot decode options of " + kind.label() + " '" + d.id() + "': "
          + e.getMessage(), e);
    }
  }

  /** The options types of every registered plugin, for parsing and printing configs with their options. */
  public TypeRegistry typeRegistry() {
    TypeRegistry.Builder b = TypeRegistry.newBuilder();
    java.util.Set<String> added = new java.util.HashSet<>();
    for (PluginDescriptor d : registry.all()) {
      // two jars that provide one id may share its options type; the type is added once
      Descriptor type = d.provider().defaultOptions().getDescriptorForType();
      if (added.add(type.getFullName())) {
        b.add(type);
      }
    }
    return b.build();
  }

  private static PluginRef ref(RunConfig c, PluginKind kind) {
    switch (kind) {
      case SPACE:
        return c.hasSpace() ? c.getSpace() : null;
      case CONTROLLER:
        return c.hasController() ? c.getController() : null;
      case REWARD:
        return c.hasReward() ? c.getReward() : null;
      case DATASET:
        return c.hasDataset() ? c.getDataset() : null;
      case BACKEND:
        return c.hasBackend() ? c.getBackend() : null;
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }

  /** The parser's message without its position, a field set twice said in words. */
  private static String message(String message) {
    if (message == null) {
      return "syntax error";
    }
    String m = message.replaceFirst("^\\d+:\\d+: ", "");
    if (m.startsWith("Input contains unknown fields")) {
      // One line per unknown field, "line:column:\tType.field"; said as one line, the first in full.
      List<String> unknown = new ArrayList<>();
      java.util.regex.Matcher f = java.util.regex.Pattern.compile("(\\d+):\\d+:\\s*([\\w.]+)\\.(\\w+)").matcher(m);
      while (f.find()) {
        unknown.add(unknown.isEmpty() ? "unknown field " + f.group(3) + " (" + f.group(2) + " has no field of that name)"
            : f.group(3) + " on line " + f.group(1));
      }
      if (!unknown.isEmpty()) {
        return unknown.get(0)
            + (unknown.size() > 1 ? "; also unknown: " + String.join(", ", unknown.subList(1, unknown.size())) : "");
      }
    }
    java.util.regex.Matcher twice = java.util.regex.Pattern
        .compile("Non-repeated field \"([\\w.]+)\" cannot be overwritten\\.?").matcher(m);
    if (twice.matches()) {
      String full = twice.group(1);
      return "field " + full.substring(full.lastIndexOf('.') + 1) + " (" + full + ") is set twice; it takes one value";
    }
    return m;
  }

  private static String hint(String message) {
    if (message != null && message.contains("Unable to parse Any of type")) {
      return " (is the plugin that defines this options type installed?)";
    }
    return "";
  }
}
