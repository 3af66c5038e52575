package dev.enas.runtime.events;

import dev.enas.proto.Event;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Exports an event log as CSV: one row per event, the columns of all event kinds, empty where a kind has none. */
public final class EventCsv {
  private EventCsv() {}

  public static final String HEADER = "unix_millis,epoch,step,kind,loss,accuracy,learning_rate,mean_reward,baseline,"
      + "entropy,controller_loss,best_reward,arch";

  public static void write(List<Event> events, Writer w) throws IOException {
    w.write(HEADER);
    w.write('\n');
    for (Event e : events) {
      String prefix = e.getUnixMillis() + "," + e.getEpoch() + "," + e.getStep() + ",";
      switch (e.getKindCase()) {
        case CHILD_STEP:
          w.write(prefix + "child_step," + num(e.getChildStep().getLoss()) + "," + num(e.getChildStep().getAccuracy())
              + "," + num(e.getChildStep().getLearningRate()) + ",,,,,," + quote(e.getChildStep().getArchString()));
          break;
        case CONTROLLER_UPDATE:
          w.write(prefix + "controller_update,,,," + num(e.getControllerUpdate().getMeanReward()) + ","
              + num(e.getControllerUpdate().getBaseline()) + "," + num(e.getControllerUpdate().getEntropy()) + ","
              + num(e.getControllerUpdate().getLoss()) + ","
              + (e.getControllerUpdate().hasBestReward() ? num(e.getControllerUpdate().getBestReward()) : "") + ","
              + quote(e.getControllerUpdate().getBestArchString()));
          break;
        case EPOCH_END:
          w.write(prefix + "epoch_end," + num(e.getEpochEnd().getMeanChildLoss()) + ",,,"
              + num(e.getEpochEnd().getMeanReward()) + ",,,,,");
          break;
        default:
          w.write(prefix + "unknown,,,,,,,,,");
      }
      w.write('\n');
    }
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.6g", d);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
