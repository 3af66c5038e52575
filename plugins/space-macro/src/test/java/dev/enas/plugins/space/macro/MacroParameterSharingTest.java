package dev.enas.plugins.space.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.schema.Architecture;
import dev.enas.api.space.SearchSpace;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MacroParameterSharingTest {

  private static Set<ParamKey> keys(SearchSpace space, String arch) {
    Set<ParamKey> keys = new TreeSet<>();
    for (ParamSpec p : space.child(space.parse(arch)).params()) {
      keys.add(p.key());
    }
    return keys;
  }

  @Test
  void sameOpAtTheSameLayerReadsTheSameKeys() {
    MacroSpace space = MacroTestSpaces.layers(3);
    // Same ops everywhere, different skip bits: the layers' weights are identical; only the reductions of
    // outputs that a skip reads come and go.
    Set<ParamKey> a = keys(space, "0  1 0  3 1 0");
    Set<ParamKey> b = keys(space, "0  1 1  3 0 1");
    a.removeIf(k -> !k.value().startsWith("layer"));
    b.removeIf(k -> !k.value().startsWith("layer"));
    assertEquals(a, b);
    assertTrue(a.contains(ParamKey.of("layer1/sep3/dw")), a.toString());
  }

  @Test
  void differentOpsAtALayerReadDifferentKeysAndLeaveTheRestShared() {
    MacroSpace space = MacroTestSpaces.layers(3);
    Set<ParamKey> a = keys(space, "0  1 0  3 1 0");
    Set<ParamKey> b = keys(space, "0  2 0  3 1 0");
    Set<ParamKey> onlyA = new TreeSet<>(a);
    onlyA.removeAll(b);
    Set<ParamKey> onlyB = new TreeSet<>(b);
    onlyB.removeAll(a);
    assertFalse(onlyA.isEmpty());
    assertTrue(onlyA.stream().allMatch(k -> k.value().startsWith("layer1/sep3/")), onlyA.toString());
    assertTrue(onlyB.stream().allMatch(k -> k.value().startsWith("layer1/conv5/")), onlyB.toString());
  }

  @Test
  void concatenatedSkipsKeepOneWeightPerSourceSoChildrenShareThem() {
    MacroSpace space = MacroTestSpaces.space(MacroSpaceOptions.newBuilder().setNumLayers(3).setChannels(8)
        .setSkipCombine(SkipCombine.CONCAT).build());
    Set<ParamKey> one = keys(space, "0  1 0  3 1 0");
    Set<ParamKey> two = keys(space, "0  1 1  3 1 1");
    assertTrue(two.containsAll(one), "adding skips only adds projections");
    assertTrue(two.contains(ParamKey.of("layer2/skip/from_layer0")), two.toString());
    assertFalse(one.contains(ParamKey.of("layer2/skip/from_layer0")), one.toString());
    // The same key has the same shape whatever else the child picks.
    for (ParamSpec p : space.child(space.parse("0  1 1  3 1 1")).params()) {
      for (ParamSpec q : space.child(space.parse("0  1 0  3 1 0")).params()) {
        if (p.key().equals(q.key())) {
          assertEquals(p.shape(), q.shape(), p.key().value());
        }
      }
    }
  }

  @Test
  void keysAreReadableAndStable() {
    MacroSpace space = MacroTestSpaces.layers(3);
    Architecture a = space.parse("0  1 0  3 1 0");
    Set<ParamKey> k = keys(space, a.tokenString());
    assertTrue(k.contains(ParamKey.of("stem/conv")), k.toString());
    assertTrue(k.contains(ParamKey.of("layer0/conv3/conv")), k.toString());
    assertTrue(k.contains(ParamKey.of("layer2/skip/bn/scale")), k.toString());
    assertTrue(k.contains(ParamKey.of("reduce_after_layer0/stem/path1")), k.toString());
    assertTrue(k.contains(ParamKey.of("head/fc/w")), k.toString());
  }
}
