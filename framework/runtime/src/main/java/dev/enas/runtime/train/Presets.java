package dev.enas.runtime.train;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Switches a space's options to its final-training preset. By convention a space's options message has an
 * enum field {@code preset} with a value {@code FINAL}; fields the user set explicitly still win, because
 * the space applies the preset only to fields left unset.
 */
public final class Presets {
  private Presets() {}

  /** The options with {@code preset: FINAL}, or unchanged when the message has no such field. */
  public static Message finalPreset(Message options) {
    FieldDescriptor f = options.getDescriptorForType().findFieldByName("preset");
    if (f == null || f.getType() != FieldDescriptor.Type.ENUM) {
      return options;
    }
    EnumValueDescriptor v = f.getEnumType().findValueByName("FINAL");
    return v == null ? options : options.toBuilder().setField(f, v).build();
  }
}
