package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.space.SearchSpaceProvider;
import dev.enas.api.space.TaskKind;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RnnSpaceProviderTest {

  @Test
  void serviceLoaderFindsTheProviderById() {
    boolean found = false;
    for (SearchSpaceProvider<?> p : ServiceLoader.load(SearchSpaceProvider.class)) {
      found |= p.id().equals("enas-rnn") && p.defaultOptions() instanceof RnnSpaceOptions;
    }
    assertTrue(found);
  }

  @Test
  void presetsFollowTheFormat() {
    RnnSettings search = RnnTestSpaces.search().settings();
    assertEquals(9, search.nodes());
    assertEquals(200, search.hidden());
    assertEquals(200, search.embedding());
    assertFalse(search.looseEndOutput());
    assertEquals(TaskKind.LANGUAGE_MODEL, RnnTestSpaces.search().task());
    RnnSettings fin = RnnTestSpaces.fin().settings();
    assertEquals(8, fin.nodes());
    assertEquals(800, fin.hidden());
    RnnSettings old = RnnTestSpaces.old().settings();
    assertEquals(12, old.nodes());
    assertEquals(11, old.lastNode());
    assertEquals(720, old.hidden());
    assertTrue(old.looseEndOutput());
  }

  @Test
  void explicitFieldsOverrideThePresetAndTheFormat() {
    RnnSettings s = RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setPreset(Preset.FINAL).setHiddenSize(64)
        .setEmbeddingSize(32).setVocabSize(33278).setOutput(CellOutput.LOOSE_ENDS).build()).settings();
    assertEquals(64, s.hidden());
    assertEquals(32, s.embedding());
    assertEquals(33278, s.vocab());
    assertEquals(8, s.nodes());
    assertTrue(s.looseEndOutput());
  }

  @Test
  void badOptionsNameTheOptionAndTheAllowedValues() {
    IllegalArgumentException nodes = assertThrows(IllegalArgumentException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setNumNodes(0).build()));
    assertEquals("num_nodes must be in [1, 64], got 0", nodes.getMessage());
    IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setActivationOrderValue(9).build()));
    assertTrue(order.getMessage().contains("activation_order must be"), order.getMessage());
    IllegalArgumentException lonely = assertThrows(IllegalArgumentException.class,
        () -> RnnTestSpaces.space(RnnSpaceOptions.newBuilder().setFormat(ArchFormat.OLD_TF).setNumNodes(1)
            .setOutput(CellOutput.ALL_NODES).build()));
    assertTrue(lonely.getMessage().contains("at least 2 in the OLD_TF format"), lonely.getMessage());
  }
}
