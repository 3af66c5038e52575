package dev.enas.runtime.config;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.PluginRef;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginRegistry;
import dev.enas.runtime.plugin.UnknownPluginException;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code --backend ID}: a resolved config with its backend replaced by another plugin. The config's backend options
 * are carried over by field name: printed in protobuf text format and parsed into the target backend's options
 * message (over its defaults), so options that mean the same thing and are named the same (e.g. {@code bn_eval},
 * {@code momentum}, {@code clip_bound}) move, and one the target lacks is a {@link ConfigException} naming it.
 */
public final class BackendSwitch {
  private BackendSwitch() {}

  /**
   * The config with backend {@code id}; {@code how} says where the request came from for messages (e.g.
   * {@code --backend}). Replacing a backend by itself goes the same way and yields the same options.
   */
  public static ResolvedConfig apply(ResolvedConfig rc, PluginRegistry registry, String id, String how) {
    PluginChoice from = rc.plugin(PluginKind.BACKEND);
    PluginDescriptor to;
    try {
      to = registry.get(PluginKind.BACKEND, id);
    } catch (UnknownPluginException e) {
      throw new UnknownPluginException(how + " " + id + ": " + e.getMessage());
    }
    Message options = carry(from.options(), to.provider().defaultOptions(), from.plugin().id(), to.id(),
        rc.locations().where("backend"));
    Map<PluginKind, PluginChoice> plugins = new EnumMap<>(rc.plugins());
    plugins.put(PluginKind.BACKEND, new PluginChoice(to, options));
    PluginRef ref = PluginRef.newBuilder().setId(to.id()).setOptions(Any.pack(options)).build();
    return rc.withPlugins(plugins).withConfig(rc.config().toBuilder().setBackend(ref).build());
  }

  /** {@code options} of backend {@code fromId} as options of {@code toId}, whose defaults are {@code target}. */
  public static Message carry(Message options, Message target, String fromId, String toId, String where) {
    Descriptor type = target.getDescriptorForType();
    String fix = "; edit the backend block of the config (" + where + ") to give backend '" + toId + "' its own "
        + "options: backend { id: \"" + toId + "\" options { [type.googleapis.com/" + type.getFullName()
        + "] { ... } } }";
    for (Map.Entry<FieldDescriptor, Object> f : options.getAllFields().entrySet()) {
      String name = f.getKey().getName();
      if (type.findFieldByName(name) == null) {
        throw new ConfigException("backend option " + name + " of backend '" + fromId + "' has no counterpart in "
            + "backend '" + toId + "' (" + type.getFullName() + " has no field " + name + "), so the options "
            + "cannot be carried over" + fix);
      }
    }
    String text = TextFormat.printer().printToString(options);
    Message.Builder b = target.toBuilder();
    try {
      TextFormat.merge(text, b);
    } catch (TextFormat.ParseException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^\\d+:\\d+: ", "");
      throw new ConfigException("the options of backend '" + fromId + "' (" + TextFormat.shortDebugString(options)
          + ") do not fit backend '" + toId + "': " + m + fix, e);
    }
    return b.build();
  }
}
