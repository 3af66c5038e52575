package com.example.stripes;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;

/**
 * The options message of the stripes space, described in Java instead of a .proto file (no protoc needed). It is
 * the message this .proto would declare:
 *
 * <pre>
 * syntax = "proto3";
 * package example.stripes;
 * enum Preset { SEARCH = 0; FINAL = 1; }
 * message StripesOptions {
 *   Preset preset = 1;     // SEARCH for `enas search`, FINAL for `enas train` (the host sets it)
 *   int32 channels = 2;    // 0: the preset's value, SEARCH 4, FINAL 8
 *   int32 num_layers = 3;  // 0: 2
 * }
 * </pre>
 *
 * A run config sets it as {@code options { [type.googleapis.com/example.stripes.StripesOptions] { channels: 4 } }}.
 */
final class StripesOptions {
  static final Descriptor TYPE = build();
  static final FieldDescriptor PRESET = TYPE.findFieldByName("preset");
  static final FieldDescriptor CHANNELS = TYPE.findFieldByName("channels");
  static final FieldDescriptor NUM_LAYERS = TYPE.findFieldByName("num_layers");

  private StripesOptions() {}

  static DynamicMessage defaults() {
    return DynamicMessage.getDefaultInstance(TYPE);
  }

  static boolean isFinal(DynamicMessage o) {
    return ((EnumValueDescriptor) o.getField(PRESET)).getName().equals("FINAL");
  }

  static int channels(DynamicMessage o) {
    int c = (Integer) o.getField(CHANNELS);
    return c != 0 ? c : isFinal(o) ? 8 : 4;
  }

  static int numLayers(DynamicMessage o) {
    int n = (Integer) o.getField(NUM_LAYERS);
    return n != 0 ? n : 2;
  }

  private static Descriptor build() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("example/stripes/stripes_options.proto")
        .setPackage("example.stripes")
        .setSyntax("proto3")
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Preset")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("SEARCH").setNumber(0))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("FINAL").setNumber(1)))
        .addMessageType(DescriptorProto.newBuilder().setName("StripesOptions")
            .addField(field("preset", 1, FieldDescriptorProto.Type.TYPE_ENUM).setTypeName(".example.stripes.Preset"))
            .addField(field("channels", 2, FieldDescriptorProto.Type.TYPE_INT32))
            .addField(field("num_layers", 3, FieldDescriptorProto.Type.TYPE_INT32)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("StripesOptions");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }
}
