package dev.enas.plugins.space.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import dev.enas.api.space.SearchSpace;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MicroParameterSharingTest {
  // Two blocks per cell; the normal cell's block 1 x slot is what the architectures below vary.
  private static final String REDUCE = "0 0 1 1 2 2 0 0";

  private static Set<ParamKey> keys(SearchSpace space, String normal) {
    Set<ParamKey> keys = new TreeSet<>();
    for (ParamSpec p : space.child(space.parse(normal + " " + REDUCE)).params()) {
      keys.add(p.key());
    }
    return keys;
  }

  private static Set<ParamKey> minus(Set<ParamKey> a, Set<ParamKey> b) {
    Set<ParamKey> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static Predicate<ParamKey> under(String prefix) {
    return k -> k.value().startsWith(prefix);
  }

  @Test
  void sameOpOnTheSameInputReadsTheSameKeys() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder());
    // Only block 1's y slot differs (max 3x3 vs avg 3x3, neither has weights): every key is shared.
    assertEquals(keys(space, "0 0 1 1  0 0 2 3"), keys(space, "0 0 1 1  0 0 2 2"));
    assertTrue(keys(space, "0 0 1 1  0 0 2 3").contains(ParamKey.of("cell0/b1/x/in0/sep3/dw1")));
  }

  @Test
  void differentOpsReadDifferentKeysOnlyInTheirSlot() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder());
    Set<ParamKey> a = keys(space, "0 0 1 1  0 0 2 3");
    Set<ParamKey> b = keys(space, "0 0 1 1  0 1 2 3");
    Set<ParamKey> onlyA = minus(a, b);
    Set<ParamKey> onlyB = minus(b, a);
    assertFalse(onlyA.isEmpty());
    // Every normal cell of the network (cells 0, 2 and 4) has its own copy of the slot's weights.
    assertTrue(onlyA.stream().allMatch(k -> k.value().matches("cell[024]/b1/x/in0/sep3/.*")), onlyA.toString());
    assertTrue(onlyB.stream().allMatch(k -> k.value().matches("cell[024]/b1/x/in0/sep5/.*")), onlyB.toString());
  }

  @Test
  void perInputWeightsDependOnTheInputIndex() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder());
    Set<ParamKey> a = keys(space, "0 0 1 1  0 0 2 3");
    Set<ParamKey> b = keys(space, "0 0 1 1  1 0 2 3");
    Set<ParamKey> onlyA = minus(a, b);
    Set<ParamKey> onlyB = minus(b, a);
    assertFalse(onlyA.isEmpty());
    assertTrue(onlyA.stream().allMatch(under("cell0/b1/x/in0/").or(under("cell2/b1/x/in0/")).or(under("cell4/b1/x/in0/"))),
        onlyA.toString());
    assertTrue(onlyB.stream().allMatch(k -> k.value().matches("cell[024]/b1/x/in1/sep3/.*")), onlyB.toString());
  }

  @Test
  void perSlotWeightsAreTheSameWhateverTheInput() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder().setWeightSharing(WeightSharing.PER_SLOT));
    Set<ParamKey> a = keys(space, "0 0 1 1  0 0 2 3");
    Set<ParamKey> b = keys(space, "0 0 1 1  1 0 2 3");
    assertEquals(a, b);
    assertTrue(a.contains(ParamKey.of("cell0/b1/x/sep3/dw1")), a.toString());
  }

  @Test
  void searchFormWeightsHaveTheSameShapeInEveryChild() {
    MicroSpace space = MicroTestSpaces.small(2, MicroSpaceOptions.newBuilder());
    java.util.Map<ParamKey, dev.enas.api.ir.TensorShape> seen = new java.util.HashMap<>();
    java.util.Random rng = new java.util.Random(5);
    for (int n = 0; n < 50; n++) {
      for (ParamSpec p : space.child(RandomArchitectures.sample(space.schema(), rng)).params()) {
        dev.enas.api.ir.TensorShape prev = seen.putIfAbsent(p.key(), p.shape());
        assertTrue(prev == null || prev.equals(p.shape()), p.key() + " has shapes " + prev + " and " + p.shape());
      }
    }
  }
}
