package dev.enas.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.enas.proto.PluginRef;
import dev.enas.proto.RunConfig;
import dev.enas.proto.Schedule;
import dev.enas.proto.TrainSchedule;
import dev.enas.runtime.config.ConfigException;
import org.junit.jupiter.api.Test;

class AxisPathsTest {
  private final AxisPaths paths = new AxisPaths(TestPlugins.registry());
  private final RunConfig base = RunConfig.newBuilder().setSeed(3)
      .setController(PluginRef.newBuilder().setId("reinforce")
          .setOptions(Any.pack(TrainSchedule.newBuilder().setEpochs(2).setBatchSize(9).build())))
      .setSchedule(Schedule.newBuilder().setEpochs(10)).build();

  @Test
  void setsTopLevelAndNestedFieldsByPath() throws Exception {
    RunConfig c = paths.apply(paths.apply(base, "seed", "42"), "schedule.epochs", "3");
    assertEquals(42, c.getSeed());
    assertEquals(3, c.getSchedule().getEpochs());
    assertEquals(base.getController(), c.getController(), "other fields are left as they were");
    assertEquals(0.25, paths.apply(base, "schedule.lr_max", "0.25").getSchedule().getLrMax(), 1e-12);
  }

  @Test
  void setsAPluginOptionInsideItsOwnOptionsType() throws Exception {
    RunConfig c = paths.apply(base, "controller.options.epochs", "5");
    TrainSchedule o = c.getController().getOptions().unpack(TrainSchedule.class);
    assertEquals(5, o.getEpochs());
    assertEquals(9, o.getBatchSize(), "the option the axis does not name is kept");
  }

  @Test
  void aNewPluginIdCarriesTheOptionsOverByNameOrTakesItsDefaults() throws Exception {
    RunConfig c = paths.apply(base, "controller.id", "random");
    assertEquals("random", c.getController().getId());
    TrainSchedule o = c.getController().getOptions().unpack(TrainSchedule.class);
    assertEquals(2, o.getEpochs());
    assertEquals(9, o.getBatchSize());
    RunConfig other = paths.apply(base, "controller.id", "other");
    assertEquals("other", other.getController().getId());
    assertFalse(other.getController().hasOptions(), "Schedule has no batch_size: the defaults of 'other' apply");
  }

  @Test
  void anUnknownPathNamesTheFieldsThereAre() {
    ConfigException e = assertThrows(ConfigException.class, () -> paths.apply(base, "schedule.epochz", "3"));
    assertTrue(e.getMessage().contains("enas.Schedule has no field epochz"), e.getMessage());
    assertTrue(e.getMessage().contains("child_steps_per_epoch"), e.getMessage());
    ConfigException top = assertThrows(ConfigException.class, () -> paths.apply(base, "sed", "3"));
    assertTrue(top.getMessage().contains("has no field sed"), top.getMessage());
    ConfigException opt = assertThrows(ConfigException.class,
        () -> paths.apply(base, "controller.options.nope", "3"));
    assertTrue(opt.getMessage().contains("enas.TrainSchedule has no field nope"), opt.getMessage());
  }

  @Test
  void aValueTheFieldCannotTakeIsRefusedWithItsType() {
    ConfigException e = assertThrows(ConfigException.class, () -> paths.apply(base, "schedule.epochs", "three"));
    assertTrue(e.getMessage().contains("'three' is not a int32"), e.getMessage());
    assertThrows(ConfigException.class, () -> paths.apply(base, "seed", "-1"));
  }

  @Test
  void aPathToAMessageAsksForOneOfItsFields() {
    ConfigException e = assertThrows(ConfigException.class, () -> paths.apply(base, "schedule", "3"));
    assertTrue(e.getMessage().contains("name one of its fields, e.g. schedule.epochs"), e.getMessage());
    ConfigException ref = assertThrows(ConfigException.class, () -> paths.apply(base, "controller", "x"));
    assertTrue(ref.getMessage().contains("id, options.<option>"), ref.getMessage());
    assertThrows(ConfigException.class, () -> paths.apply(base, "schedule..epochs", "3"));
  }

  @Test
  void optionsOfAPluginTheConfigDoesNotNameAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> paths.apply(base, "backend.options.momentum", "0"));
    assertTrue(e.getMessage().contains("no backend { id: ... }"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
