package dev.enas.plugins.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.enas.api.backend.Backend;
import dev.enas.api.backend.TrainResult;
import dev.enas.api.ir.Op;
import dev.enas.api.ir.TensorShape;
import dev.enas.api.plugin.OptionException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The validation pass checks the backend's options with {@link TensorFlowBackendProvider#validate}, which starts no
 * TensorFlow; here the other half of the agreement: every numeric option set to 0, -1 or a huge value is either
 * refused by validate, or accepted by create too, and the backend then trains a step.
 */
class ValidateOptionsTest {
  private final TensorFlowBackendProvider provider = new TensorFlowBackendProvider();

  @Test
  void threadCountsAreBoundedBeforeTensorFlowStartsAPool() {
    OptionException e = assertThrows(OptionException.class,
        () -> provider.validate(TensorFlowBackendOptions.newBuilder().setIntraOpThreads(Integer.MAX_VALUE).build()));
    assertEquals("intra_op_threads", e.option());
    assertEquals("intra_op_threads must be in [0, 1024] (0 = core count), got 2147483647", e.getMessage());
    e = assertThrows(OptionException.class,
        () -> provider.validate(TensorFlowBackendOptions.newBuilder().setCompileThreads(-3).build()));
    assertEquals("compile_threads", e.option());
  }

  @Test
  void whatValidateAcceptsCreateAcceptsAndTrains() {
    TensorShape shape = TensorShape.of(4, 4, 1);
    List<String> accepted = new ArrayList<>();
    for (FieldDescriptor f : TensorFlowBackendOptions.getDescriptor().getFields()) {
      List<Object> values = switch (f.getJavaType()) {
        case INT -> List.of(0, -1, Integer.MAX_VALUE);
        case DOUBLE -> List.of(0.0, -1.0, 1e300);
        default -> List.of();
      };
      for (Object v : values) {
        TensorFlowBackendOptions o = TensorFlowBackendOptions.newBuilder().setField(f, v).build();
        try {
          provider.validate(o);
        } catch (IllegalArgumentException refused) {
          assertThrows(IllegalArgumentException.class, () -> provider.create(o, 1).close(), f.getName() + " = " + v);
          continue;
        }
        accepted.add(f.getName() + " = " + v);
        try (Backend b = provider.create(o, 1)) {
          TrainResult r = b.train(TestNets.convNet(shape, 2, 2, new Op.Identity(), "id"),
              TestNets.random(2, shape, 2, 1), 0.01);
          assertTrue(r.loss() >= 0 || Double.isNaN(r.loss()), f.getName() + " = " + v);
        }
      }
    }
    assertTrue(accepted.size() >= 8, "both outcomes are exercised: " + accepted);
  }
}
