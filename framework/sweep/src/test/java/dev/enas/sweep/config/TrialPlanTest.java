package dev.enas.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.DynamicMessage;
import dev.enas.proto.AxisValue;
import dev.enas.proto.PluginRef;
import dev.enas.proto.RunConfig;
import dev.enas.proto.SweepAxis;
import dev.enas.proto.SweepConfig;
import dev.enas.proto.TrialStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialPlanTest {
  private static final SweepConfig SWEEP = SweepConfig.newBuilder().setBaseConfig("base.pbtxt")
      .addAxis(SweepAxis.newBuilder().setPath("controller.id").addValues("reinforce").addValues("random"))
      .addAxis(SweepAxis.newBuilder().setPath("seed").addValues("1").addValues("2").addValues("3")).build();
  private static final RunConfig BASE = RunConfig.newBuilder().setName("tiny").setRunDir("runs/tiny")
      .setController(PluginRef.newBuilder().setId("reinforce")).setBackend(PluginRef.newBuilder().setId("engine"))
      .build();

  @Test
  void everyCombinationOnceTheFirstAxisSlowest() {
    List<TrialPlan.Planned> plan = TrialPlan.expand(SWEEP, BASE, TestPlugins.registry(), 0);
    assertEquals(6, plan.size());
    assertEquals("t004", plan.get(4).trial().getId());
    assertEquals("trials/t004", plan.get(4).trial().getDir());
    assertEquals(TrialStatus.TRIAL_PENDING, plan.get(4).trial().getStatus());
    assertEquals(List.of("random", "2"), plan.get(4).trial().getValuesList().stream().map(AxisValue::getValue).toList());
    RunConfig c = plan.get(4).config();
    assertEquals("random", c.getController().getId());
    assertEquals(2, c.getSeed());
    assertEquals("tiny-t004", c.getName());
    assertEquals("", c.getRunDir(), "the trial's run directory is the sweep's to choose");
  }

  @Test
  void noAxesIsOneTrialOfTheBaseConfig() {
    List<TrialPlan.Planned> plan = TrialPlan.expand(SweepConfig.newBuilder().setBaseConfig("b").build(), BASE,
        TestPlugins.registry(), 0);
    assertEquals(1, plan.size());
    assertEquals(0, plan.get(0).trial().getValuesCount());
  }

  @Test
  void threadsPerTrialGoIntoTheBackendUnlessTheConfigSetsThem() throws Exception {
    RunConfig c = TrialPlan.expand(SWEEP, BASE, TestPlugins.registry(), 3).get(0).config();
    assertEquals(3, threads(c));
    DynamicMessage own = DynamicMessage.newBuilder(TestPlugins.BACKEND_OPTIONS)
        .setField(TestPlugins.BACKEND_OPTIONS.findFieldByName("intra_op_threads"), 8).build();
    RunConfig set = BASE.toBuilder().setBackend(BASE.getBackend().toBuilder().setOptions(Any.pack(own))).build();
    assertEquals(8, threads(TrialPlan.expand(SWEEP, set, TestPlugins.registry(), 3).get(0).config()));
  }

  private static int threads(RunConfig c) throws Exception {
    DynamicMessage m = DynamicMessage.parseFrom(TestPlugins.BACKEND_OPTIONS, c.getBackend().getOptions().getValue());
    return (Integer) m.getField(TestPlugins.BACKEND_OPTIONS.findFieldByName("intra_op_threads"));
  }

  @Test
  void aGroupIsTheAxisValuesWithoutTheSeed() {
    TrialPlan.Planned p = TrialPlan.expand(SWEEP, BASE, TestPlugins.registry(), 0).get(5);
    assertEquals(List.of(AxisValue.newBuilder().setPath("controller.id").setValue("random").build()),
        TrialPlan.group(p.trial()));
  }
}
