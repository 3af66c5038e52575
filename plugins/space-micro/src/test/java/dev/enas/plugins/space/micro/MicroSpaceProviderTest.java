package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MicroSpaceProviderTest {

  @Test
  void serviceLoaderFindsTheProviderById() {
    boolean found = false;
    for (SearchSpaceProvider<?> p : ServiceLoader.load(SearchSpaceProvider.class)) {
      found |= p.id().equals("enas-micro") && p.defaultOptions() instanceof MicroSpaceOptions;
    }
    assertTrue(found);
  }

  @Test
  void searchPresetIsThePapersSearchSetting() {
    MicroSettings s = MicroTestSpaces.search().settings();
    assertEquals(5, s.blocks());
    assertEquals(2, s.cells());
    assertEquals(20, s.channels());
    assertFalse(s.fixedForm());
    assertTrue(s.perInputWeights());
    assertTrue(s.isReduction(2) && s.isReduction(5) && !s.isReduction(6));
    assertEquals(TaskKind.IMAGE_CLASSIFICATION, MicroTestSpaces.search().task());
  }

  @Test
  void finalPresetIsTheFinalTrainingSettingAndExplicitFieldsOverrideIt() {
    MicroSettings s = MicroTestSpaces.fin().settings();
    assertEquals(5, s.cells());
    assertEquals(36, s.channels());
    assertTrue(s.fixedForm());
    assertEquals(0.2, s.dropoutRate());
    MicroSettings o = MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setPreset(Preset.FINAL).setChannels(16)
        .setForm(CellForm.SEARCH_FORM).build()).settings();
    assertEquals(16, o.channels());
    assertEquals(5, o.cells());
    assertFalse(o.fixedForm());
  }

  @Test
  void badOptionsNameTheOptionAndTheAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setNumBlocks(0).build()));
    assertEquals("num_blocks must be in [1, 16], got 0", e.getMessage());
    IllegalArgumentException form = assertThrows(IllegalArgumentException.class,
        () -> MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setFormValue(7).build()));
    assertTrue(form.getMessage().contains("form must be CELL_FORM_PRESET, SEARCH_FORM or FIXED_FORM, got 7"),
        form.getMessage());
    IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
        () -> MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setImageHeight(-28).build()));
    assertTrue(image.getMessage().contains("image_height must be in [0, 16384] (0 for 32)"), image.getMessage());
    // A channel count whose multiples (3C in the stem, 4C after two reductions) would overflow an int.
    IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
        () -> MicroTestSpaces.space(MicroSpaceOptions.newBuilder().setChannels(Integer.MAX_VALUE / 2).build()));
    assertEquals("channels must be in [1, 4096], got " + Integer.MAX_VALUE / 2, wide.getMessage());
  }
}
