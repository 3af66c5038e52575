package dev.enas.sweep.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.PluginRef;
import dev.enas.proto.RunConfig;
import dev.enas.runtime.config.BackendSwitch;
import dev.enas.runtime.config.ConfigException;
import dev.enas.runtime.config.ConfigLoader;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.plugin.UnknownPluginException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sets one field of a run config by its dotted path ({@code seed}, {@code schedule.epochs}, {@code controller.id},
 * {@code space.options.num_cells}), through the messages' descriptors. A path into a plugin's {@code options} goes
 * on in that plugin's own options message. A changed plugin id carries the options over by field name (as
 * {@code --backend} does) when the new plugin has every option set, and leaves the new plugin its defaults when not
 * (a controller's options rarely fit another controller). An unknown path or a value the field cannot take is a {@link ConfigException} that says
 * which fields there are.
 */
public final class AxisPaths {
  private final PluginRegistry registry;

  public AxisPaths(PluginRegistry registry) {
    this.registry = registry;
  }

  /** {@code config} with the field at {@code path} set to {@code value}. */
  public RunConfig apply(RunConfig config, String path, String value) {
    String[] parts = path.split("\\.", -1);
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new ConfigException("axis path '" + path + "' is not a dotted field path such as schedule.epochs");
      }
    }
    RunConfig.Builder b = config.toBuilder();
    Descriptor top = RunConfig.getDescriptor();
    FieldDescriptor f = field(top, parts[0], path);
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getMessageType().equals(PluginRef.getDescriptor())) {
      PluginKind kind = kind(f.getName());
      PluginRef ref = b.hasField(f) ? (PluginRef) b.getField(f) : PluginRef.getDefaultInstance();
      b.setField(f, pluginRef(kind, ref, parts, 1, path, value));
    } else {
      set(b, parts, 0, path, value);
    }
    return b.build();
  }

  private PluginRef pluginRef(PluginKind kind, PluginRef ref, String[] parts, int at, String path, String value) {
    if (at == parts.length) {
      throw new ConfigException("axis path '" + path + "' names the " + kind.label() + " block; name one of its "
          + "fields: id, options.<option>, jar");
    }
    String name = parts[at];
    if (name.equals("options")) {
      if (at + 1 == parts.length) {
        throw new ConfigException("axis path '" + path + "' names the options of " + kind.label() + " '"
            + ref.getId() + "'; name one of them, e.g. " + path + "." + firstField(descriptor(kind, ref).provider()
            .defaultOptions().getDescriptorForType()));
      }
      PluginDescriptor d = descriptor(kind, ref);
      Message options = ConfigLoader.unpack(Path.of(path), kind, d, ref);
      Message.Builder ob = options.toBuilder();
      set(ob, parts, at + 1, path, value);
      return ref.toBuilder().setOptions(Any.pack(ob.build())).build();
    }
    PluginRef.Builder rb = ref.toBuilder();
    set(rb, parts, at, path, value);
    PluginRef changed = rb.build();
    if (name.equals("id") && !changed.getId().equals(ref.getId()) && ref.hasOptions()) {
      // the options were written for the old plugin: they move when the new one has every option set (backends
      // name theirs alike); otherwise the new plugin starts from its defaults, as a config naming it alone would
      PluginDescriptor from = descriptor(kind, ref);
      PluginDescriptor to = descriptor(kind, changed);
      try {
        Message carried = BackendSwitch.carry(ConfigLoader.unpack(Path.of(path), kind, from, ref),
            to.provider().defaultOptions(), from.id(), to.id(), "axis " + path + " = " + value);
        changed = changed.toBuilder().setOptions(Any.pack(carried)).build();
      } catch (ConfigException e) {
        changed = changed.toBuilder().clearOptions().build();
      }
    }
    return changed;
  }

  private PluginDescriptor descriptor(PluginKind kind, PluginRef ref) {
    if (ref.getId().isEmpty()) {
      throw new ConfigException("the base config has no " + kind.label() + " { id: ... }, so its options cannot be "
          + "set; available: " + String.join(", ", registry.ids(kind)));
    }
    try {
      return registry.get(kind, ref.getId(), ref.getJar());
    } catch (UnknownPluginException e) {
      throw new ConfigException(kind.label() + " '" + ref.getId() + "': " + e.getMessage(), e);
    }
  }

  /** Walks {@code parts[at..]} below {@code b} and sets the last one. */
  private static void set(Message.Builder b, String[] parts, int at, String path, String value) {
    FieldDescriptor f = field(b.getDescriptorForType(), parts[at], path);
    if (at + 1 < parts.length) {
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isRepeated()) {
        throw new ConfigException("axis path '" + path + "': " + parts[at] + " is a " + typeName(f)
            + " and has no field " + parts[at + 1]);
      }
      Message.Builder sub = ((Message) b.getField(f)).toBuilder();
      set(sub, parts, at + 1, path, value);
      b.setField(f, sub.build());
      return;
    }
    if (f.isRepeated() || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      throw new ConfigException("axis path '" + path + "' names " + (f.isRepeated() ? "a repeated field" : "a message")
          + (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
              ? "; name one of its fields, e.g. " + path + "." + firstField(f.getMessageType()) : "")
          + "; an axis sets one value");
    }
    b.setField(f, value(f, value, path));
  }

  private static FieldDescriptor field(Descriptor type, String name, String path) {
    FieldDescriptor f = type.findFieldByName(name);
    if (f == null) {
      List<String> names = new ArrayList<>();
      type.getFields().forEach(x -> names.add(x.getName()));
      throw new ConfigException("axis path '" + path + "': " + type.getFullName() + " has no field " + name
          + "; its fields: " + String.join(", ", names));
    }
    return f;
  }

  /** The text of an axis value as the field's type. */
  static Object value(FieldDescriptor f, String text, String path) {
    String t = text.trim();
    try {
      switch (f.getJavaType()) {
        case INT:
          return f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
              ? Integer.parseUnsignedInt(t) : Integer.parseInt(t);
        case LONG:
          return f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
              ? Long.parseUnsignedLong(t) : Long.parseLong(t);
        case FLOAT:
          return Float.parseFloat(t);
        case DOUBLE:
          return Double.parseDouble(t);
        case BOOLEAN:
          if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
          }
          throw new NumberFormatException();
        case STRING:
          return text;
        case ENUM:
          EnumValueDescriptor v = f.getEnumType().findValueByName(t.toUpperCase(Locale.ROOT));
          if (v == null) {
            List<String> names = new ArrayList<>();
            f.getEnumType().getValues().forEach(x -> names.add(x.getName()));
            throw new ConfigException("axis " + path + ": '" + text + "' is not one of " + String.join(", ", names));
          }
          return v;
        default:
          throw new ConfigException("axis " + path + ": fields of type " + typeName(f) + " cannot be set by an axis");
      }
    } catch (NumberFormatException e) {
      throw new ConfigException("axis " + path + ": '" + text + "' is not a " + typeName(f), e);
    }
  }

  private static String typeName(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? "message (" + f.getMessageType().getName() + ")"
        : f.getType().name().toLowerCase(Locale.ROOT);
  }

  private static String firstField(Descriptor type) {
    return type.getFields().isEmpty() ? "<field>" : type.getFields().get(0).getName();
  }

  private static PluginKind kind(String label) {
    for (PluginKind k : PluginKind.values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("no plugin kind " + label);
  }
}
