package dev.enas.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.enas.proto.ChildStep;
import dev.enas.proto.ControllerUpdate;
import dev.enas.proto.EpochEnd;
import dev.enas.proto.Event;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCsvTest {

  /** The fields of a CSV line, with quoted fields (no embedded commas in these tests) kept as they are. */
  private static String[] fields(String line) {
    return line.split(",", -1);
  }

  @Test
  void everyRowHasTheHeadersColumnsAndAControllerRowItsBestReward() throws Exception {
    List<Event> events = List.of(
        Event.newBuilder().setEpoch(0).setStep(1).setChildStep(ChildStep.newBuilder().setLoss(2.5).setAccuracy(0.25)
            .setLearningRate(0.05).setArchString("0 1")).build(),
        Event.newBuilder().setEpoch(0).setStep(1).setControllerUpdate(ControllerUpdate.newBuilder().setMeanReward(0.4)
            .setBaseline(0.3).setEntropy(1.5).setLoss(-0.2).setBestReward(0.75).setBestArchString("1 0")).build(),
        Event.newBuilder().setEpoch(0).setStep(1).setControllerUpdate(ControllerUpdate.newBuilder().setMeanReward(0.4)
            .setBestArchString("1 1")).build(),
        Event.newBuilder().setEpoch(0).setStep(1).setEpochEnd(EpochEnd.newBuilder().setMeanChildLoss(2.0)
            .setMeanReward(0.4)).build());
    StringWriter w = new StringWriter();
    EventCsv.write(events, w);
    String[] lines = w.toString().split("\n");
    String[] header = fields(lines[0]);
    int best = List.of(header).indexOf("best_reward");
    int arch = List.of(header).indexOf("arch");
    for (int i = 1; i < lines.length; i++) {
      assertEquals(header.length, fields(lines[i]).length, lines[i]);
    }
    assertEquals("\"0 1\"", fields(lines[1])[arch]);
    assertEquals("0.750000", fields(lines[2])[best]);
    assertEquals("\"1 0\"", fields(lines[2])[arch]);
    assertEquals("", fields(lines[3])[best], "an update written before best_reward existed has none");
    assertEquals("", fields(lines[4])[best]);
  }
}
