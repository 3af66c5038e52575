package dev.enas.sweep.config;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.enas.api.backend.BackendProvider;
import dev.enas.api.controller.ControllerProvider;
import dev.enas.api.plugin.PluginKind;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.plugin.PluginDescriptor;
import dev.enas.runtime.plugin.PluginRegistry;

/**
 * A registry with two controllers that take the same options type (TrainSchedule stands in for it), one that takes
 * another, and a backend whose options have the {@code intra_op_threads} field the shipped backends have.
 */
final class TestPlugins {
  static final Descriptor BACKEND_OPTIONS = backendOptions();

  private TestPlugins() {}

  static PluginRegistry registry() {
    PluginRegistry r = new PluginRegistry();
    r.register(new PluginDescriptor(PluginKind.CONTROLLER, "reinforce", "1", "/p/a.jar",
        controller(TrainSchedule.getDefaultInstance())));
    r.register(new PluginDescriptor(PluginKind.CONTROLLER, "random", "1", "/p/b.jar",
        controller(TrainSchedule.newBuilder().setEpochs(7).build())));
    r.register(new PluginDescriptor(PluginKind.CONTROLLER, "other", "1", "/p/c.jar",
        controller(dev.enas.proto.Schedule.getDefaultInstance())));
    BackendProvider<?> b = mock(BackendProvider.class);
    when(b.defaultOptions()).thenAnswer(i -> DynamicMessage.getDefaultInstance(BACKEND_OPTIONS));
    r.register(new PluginDescriptor(PluginKind.BACKEND, "engine", "1", "/p/d.jar", b));
    return r;
  }

  private static ControllerProvider<?> controller(Message options) {
    ControllerProvider<?> p = mock(ControllerProvider.class);
    when(p.defaultOptions()).thenAnswer(i -> options);
    return p;
  }

  private static Descriptor backendOptions() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("test/engine.proto").setPackage("test")
        .setSyntax("proto2")
        .addMessageType(DescriptorProto.newBuilder().setName("EngineOptions")
            .addField(FieldDescriptorProto.newBuilder().setName("intra_op_threads").setNumber(1)
                .setType(FieldDescriptorProto.Type.TYPE_INT32).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL))
            .addField(FieldDescriptorProto.newBuilder().setName("momentum").setNumber(3)
                .setType(FieldDescriptorProto.Type.TYPE_DOUBLE).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("EngineOptions");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }
}
