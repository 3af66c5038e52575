package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MacroSpaceProviderTest {

  @Test
  void serviceLoaderFindsTheProviderById() {
    boolean found = false;
    for (SearchSpaceProvider<?> p : ServiceLoader.load(SearchSpaceProvider.class)) {
      found |= p.id().equals("enas-macro") && p.defaultOptions() instanceof MacroSpaceOptions;
    }
    assertTrue(found);
  }

  @Test
  void searchPresetIsThePapersSearchSetting() {
    MacroSettings s = MacroTestSpaces.search().settings();
    assertEquals(12, s.layers());
    assertEquals(36, s.channels());
    assertFalse(s.doubleChannels());
    assertFalse(s.concatSkips());
    assertEquals(java.util.List.of(3, 7), s.reductionLayers());
    assertEquals(TaskKind.IMAGE_CLASSIFICATION, MacroTestSpaces.search().task());
  }

  @Test
  void finalPresetIsTheFinalTrainingSettingAndExplicitFieldsOverrideIt() {
    MacroSettings s = MacroTestSpaces.fin().settings();
    assertEquals(24, s.layers());
    assertEquals(96, s.channels());
    assertTrue(s.doubleChannels());
    assertTrue(s.concatSkips());
    assertTrue(s.preactivation());
    MacroSettings o = MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setPreset(Preset.FINAL).setNumLayers(12)
        .setSkipCombine(SkipCombine.SUM).setDropoutRate(0).build()).settings();
    assertEquals(12, o.layers());
    assertEquals(96, o.channels());
    assertFalse(o.concatSkips());
    assertEquals(0.0, o.dropoutRate());
  }

  @Test
  void badOptionsNameTheOptionAndTheAllowedValues() {
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setChannels(35).build()));
    assertTrue(odd.getMessage().contains("channels must be even"), odd.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setNumLayers(0).build()));
    assertEquals("num_layers must be in [1, 64], got 0", none.getMessage());
    IllegalArgumentException drop = assertThrows(IllegalArgumentException.class,
        () -> MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setDropoutRate(1).build()));
    assertTrue(drop.getMessage().contains("dropout_rate must be in [0, 1)"), drop.getMessage());
  }

  @Test
  void separableAsRegularBuildsRegularConvolutions() {
    MacroSpace space = MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setNumLayers(1).setChannels(8)
        .setSeparableAsRegular(true).build());
    assertTrue(space.child(space.parse("1")).params().stream()
        .anyMatch(p -> p.key().value().equals("layer0/sep3/conv")));
  }
}
