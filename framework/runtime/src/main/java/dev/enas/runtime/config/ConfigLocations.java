package dev.enas.runtime.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import dev.enas.proto.RunConfig;
import java.util.List;

/**
 * Where each field of a run config was written: the parser's location tree, read by field path so that an error can
 * say {@code conf/x.pbtxt:12}. A plugin's options, written inside an {@code Any}, are found under their block's
 * {@code options} field with the options message's own descriptor. A field the file does not set is placed at the
 * nearest enclosing block that it does, so every message has a line when the file has one.
 */
public final class ConfigLocations {
  private final String file;
  private final TextFormatParseInfoTree tree;

  /**
   * @param file the file name used in messages
   * @param tree the parser's location tree, or null when the config did not come from text
   */
  public ConfigLocations(String file, TextFormatParseInfoTree tree) {
    this.file = file;
    this.tree = tree;
  }

  /** Locations of a config that did not come from a file. */
  public static ConfigLocations none(String file) {
    return new ConfigLocations(file, null);
  }

  public String file() {
    return file;
  }

  /** {@code file:line} of a run-config field given by its dotted path, e.g. {@code schedule.eval_batch_size}. */
  public String where(String path) {
    return where(path, null);
  }

  /**
   * {@code file:line} of a field given by its dotted path from the run config, where an {@code Any} (a plugin's
   * {@code options}) holds a message of type {@code optionsType}: e.g. {@code dataset.options.valid_size}.
   */
  public String where(String path, Descriptor optionsType) {
    int line = line(path, optionsType);
    return line > 0 ? file + ":" + line : file;
  }

  /** The 1-based line of the field, or of its nearest written ancestor; 0 when none is written. */
  public int line(String path, Descriptor optionsType) {
    if (tree == null || path == null || path.isEmpty()) {
      return 0;
    }
    TextFormatParseInfoTree at = tree;
    Descriptor type = RunConfig.getDescriptor();
    int line = 0;
    for (String name : path.split("\\.")) {
      FieldDescriptor f = type == null ? null : type.findFieldByName(name);
      if (f == null) {
        break;
      }
      List<TextFormatParseLocation> locations = at.getLocations(f);
      if (locations.isEmpty()) {
        break;
      }
      line = locations.get(0).getLine() + 1;
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        break;
      }
      List<TextFormatParseInfoTree> nested = at.getNestedTrees(f);
      if (nested.isEmpty()) {
        break;
      }
      at = nested.get(0);
      type = f.getMessageType().getFullName().equals(Any.getDescriptor().getFullName()) ? optionsType
          : f.getMessageType();
    }
    return line;
  }

  /**
   * The line of an entry of a {@code google.protobuf.Struct} written as a block's options: {@code entries} are
   * indices in text order, the first among the options' {@code fields}, each next one inside the previous entry's
   * struct value. 0 when unknown.
   */
  int structEntryLine(String block, List<Integer> entries) {
    if (tree == null) {
      return 0;
    }
    FieldDescriptor blockField = RunConfig.getDescriptor().findFieldByName(block);
    FieldDescriptor options = dev.enas.proto.PluginRef.getDescriptor().findFieldByName("options");
    TextFormatParseInfoTree at = first(first(tree, blockField), options);
    Descriptor struct = com.google.protobuf.Struct.getDescriptor();
    FieldDescriptor fields = struct.findFieldByName("fields");
    FieldDescriptor value = fields.getMessageType().findFieldByName("value");
    FieldDescriptor structValue = com.google.protobuf.Value.getDescriptor().findFieldByName("struct_value");
    int line = 0;
    for (int i = 0; i < entries.size() && at != null; i++) {
      int e = entries.get(i);
      List<TextFormatParseLocation> locations = at.getLocations(fields);
      List<TextFormatParseInfoTree> trees = at.getNestedTrees(fields);
      if (e >= locations.size() || e >= trees.size()) {
        return 0;
      }
      line = locations.get(e).getLine() + 1;
      at = first(first(trees.get(e), value), structValue);
    }
    return line;
  }

  private static TextFormatParseInfoTree first(TextFormatParseInfoTree t, FieldDescriptor f) {
    if (t == null) {
      return null;
    }
    List<TextFormatParseInfoTree> nested = t.getNestedTrees(f);
    return nested.isEmpty() ? null : nested.get(0);
  }
}
