package dev.enas.plugins.space.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.enas.api.ir.ParamKey;
import dev.enas.api.ir.ParamSpec;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RnnParameterSharingTest {

  private static Set<ParamKey> keys(RnnSpace space, String arch) {
    Set<ParamKey> keys = new TreeSet<>();
    for (ParamSpec p : space.child(space.parse(arch)).params()) {
      keys.add(p.key());
    }
    return keys;
  }

  @Test
  void sameActivationOnTheSameNodeReadsTheSameKeys() {
    RnnSpace space = RnnTestSpaces.small(3, RnnSpaceOptions.newBuilder());
    Set<ParamKey> a = keys(space, "0 1  1 0  1 2");
    assertEquals(a, keys(space, "0 1  1 0  1 2"));
    assertEquals(Set.of(ParamKey.of("embedding"), ParamKey.of("node0/w"), ParamKey.of("node1/relu/in0/w"),
        ParamKey.of("node2/tanh/in1/w"), ParamKey.of("node3/sigmoid/in1/w"), ParamKey.of("softmax/b")), a);
  }

  @Test
  void differentActivationsOrInputsReadDifferentKeys() {
    RnnSpace space = RnnTestSpaces.small(3, RnnSpaceOptions.newBuilder());
    Set<ParamKey> base = keys(space, "0 1  1 0  1 2");
    Set<ParamKey> otherAct = keys(space, "0 1  1 0  1 3");
    Set<ParamKey> otherInput = keys(space, "0 1  1 0  2 2");
    assertEquals(diff(base, otherAct), Set.of(ParamKey.of("node3/sigmoid/in1/w")));
    assertEquals(diff(otherAct, base), Set.of(ParamKey.of("node3/identity/in1/w")));
    assertEquals(diff(otherInput, base), Set.of(ParamKey.of("node3/sigmoid/in2/w")));
  }

  @Test
  void perSlotWeightsIgnoreTheInput() {
    RnnSpace space = RnnTestSpaces.small(3, RnnSpaceOptions.newBuilder().setWeightSharing(WeightSharing.PER_SLOT));
    assertEquals(keys(space, "0 1  1 0  1 2"), keys(space, "0 1  1 0  2 2"));
    assertTrue(keys(space, "0 1  1 0  1 2").contains(ParamKey.of("node3/sigmoid/w")));
  }

  private static Set<ParamKey> diff(Set<ParamKey> a, Set<ParamKey> b) {
    Set<ParamKey> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}
