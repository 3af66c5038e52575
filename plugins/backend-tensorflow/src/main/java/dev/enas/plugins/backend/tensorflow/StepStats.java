package dev.enas.plugins.backend.tensorflow;

import dev.enas.support.backend.PhaseClock;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/** Adds a traced run's kernels to a profile, by op type. */
final class StepStats {
  private StepStats() {}

  static void addTo(PhaseClock clock, RunMetadata metadata) {
    for (DeviceStepStats d : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats n : d.getNodeStatsList()) {
        clock.op(opType(n), n.getAllEndRelMicros() / 1e3, 1);
      }
    }
  }

  /** The op type from a timeline label {@code "name = Type(inputs)"}; the node name when the label has none. */
  static String opType(NodeExecStats n) {
    String label = n.getTimelineLabel();
    int eq = label.indexOf(" = ");
    if (eq < 0) {
      return n.getNodeName();
    }
    int paren = label.indexOf('(', eq);
    return label.substring(eq + 3, paren < 0 ? label.length() : paren);
  }
}
