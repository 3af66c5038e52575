package dev.enas.runtime.config;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.enas.runtime.plugin.PluginDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The unknown-option check for plugins whose options are a {@code google.protobuf.Struct} rather than a typed
 * message: a Struct takes any key, so the plugin's default options name the keys it knows, and a key they do not
 * name is an error with its line, as a misspelled field of a typed options message is. (A typed options message is
 * the rule for plugins; this keeps the Struct route from letting typos through.)
 */
final class StructOptions {
  private StructOptions() {}

  /** Refuses a key of {@code options} that the plugin's default Struct does not have, at any depth. */
  static void checkKeys(ConfigLocations locations, String block, PluginDescriptor d, Message options) {
    Message defaults = d.provider().defaultOptions();
    if (!(options instanceof Struct given) || !(defaults instanceof Struct known)) {
      return;
    }
    check(locations, block, d, given, known, "", List.of());
  }

  private static void check(ConfigLocations locations, String block, PluginDescriptor d, Struct given, Struct known,
      String prefix, List<Integer> entryPath) {
    int index = 0;
    for (String key : given.getFieldsMap().keySet()) {
      List<Integer> here = new ArrayList<>(entryPath);
      here.add(index++);
      Value allowed = known.getFieldsMap().get(key);
      if (allowed == null) {
        int line = locations.structEntryLine(block, here);
        String where = line > 0 ? locations.file() + ":" + line : locations.where(block + ".options");
        throw new ConfigException(where + ": " + block + " '" + d.id() + "' has no option '" + prefix + key
            + "'; its options are " + String.join(", ", new TreeSet<>(prefixed(prefix, known))));
      }
      Value value = given.getFieldsMap().get(key);
      if (value.hasStructValue() && allowed.hasStructValue()) {
        check(locations, block, d, value.getStructValue(), allowed.getStructValue(), prefix + key + ".", here);
      }
    }
  }

  private static List<String> prefixed(String prefix, Struct known) {
    return known.getFieldsMap().keySet().stream().map(k -> prefix + k).toList();
  }
}
