package dev.enas.runtime.cli;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.api.plugin.Plugin;
import dev.enas.api.plugin.PluginKind;
import dev.enas.api.space.SearchSpace;
import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.plugin.PluginConflictException;
import dev.enas.runtime.plugin.PluginHost;
import dev.enas.runtime.train.Presets;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that pick a space on the command line: its id, options in text format, and the final preset. */
public final class SpaceSelection {
  @Option(names = "--space-options", paramLabel = "TEXT",
      description = "Space options in protobuf text format, e.g. 'num_layers: 24' or 'image_height: 28 image_width: 28 image_channels: 1'.")
  String optionsText;

  @Option(names = "--final", description = "Use the space's final-training preset (e.g. 24 macro layers, 8 recurrent nodes).")
  boolean finalPreset;

  @Option(names = "--space-jar", paramLabel = "JAR",
      description = "The jar the space must come from (its file name as `enas plugins` shows it); needed when two "
          + "plugin jars provide the space id.")
  String jar;

  /** Builds the space with these options. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  SearchSpace create(PluginHost h, String id) {
    SearchSpaceProvider p;
    try {
      p = h.registry().provider(PluginKind.SPACE, id, jar, SearchSpaceProvider.class);
    } catch (PluginConflictException e) {
      List<String> jars = e.conflict().jars();
      throw new ConfigException(e.conflict().which() + "; say which one with --space-jar " + jars.get(jars.size() - 1));
    }
    Message o = options(p, optionsText, "--space-options");
    try {
      return p.create(finalPreset ? Presets.finalPreset(o) : o);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("space '" + id + "' rejected its options: " + e.getMessage());
    }
  }

  /** The provider's default options with {@code text} (text format) merged in; a typo is a config error. */
  static Message options(Plugin<?> p, String text, String what) {
    Message.Builder b = p.defaultOptions().toBuilder();
    if (text != null && !text.isBlank()) {
      try {
        TextFormat.merge(text, b);
      } catch (TextFormat.ParseException e) {
        throw new ConfigException(what + " of '" + p.id() + "' (" + b.getDescriptorForType().getFullName() + "): "
            + e.getMessage());
      }
    }
    return b.build();
  }

  String label(String id) {
    return id + (finalPreset ? " (final preset)" : "") + (optionsText == null ? "" : " {" + optionsText + "}");
  }
}
