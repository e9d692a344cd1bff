package io.zkperp.state.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeOverlayTest {
  @Test
  void behavesLikeAHashMapThroughGrowthAndClear() {
    NodeOverlay o = new NodeOverlay(4);
    Map<Long, Long> ref = new HashMap<>();
    SplittableRandom r = new SplittableRandom(7);
    long[] v = new long[4];
    for (int i = 0; i < 20_000; i++) {
      long key = NodeKeys.key(r.nextInt(4), r.nextInt(50), r.nextInt(25), r.nextInt(1 << 10));
      long val = r.nextLong();
      v[0] = val;
      v[3] = ~val;
      o.put(key, v, 0);
      ref.put(key, val);
    }
    assertThat(o.size()).isEqualTo(ref.size());
    long[] out = new long[4];
    for (Map.Entry<Long, Long> e : ref.entrySet()) {
      assertThat(o.get(e.getKey(), out, 0)).isTrue();
      assertThat(out[0]).isEqualTo(e.getValue());
      assertThat(out[3]).isEqualTo(~e.getValue());
    }
    assertThat(o.get(NodeKeys.key(9, 0, 0, 0), out, 0)).isFalse();
    assertThat(o.sortedKeys()).hasSize(ref.size()).isSorted();
    o.clear();
    assertThat(o.size()).isZero();
    assertThat(o.contains(ref.keySet().iterator().next())).isFalse();
  }

  @Test
  void keyPackingRoundTrips() {
    long k = NodeKeys.key(3, 0xabcdef, 17, 0x123456);
    assertThat(NodeKeys.kind(k)).isEqualTo(3);
    assertThat(NodeKeys.owner(k)).isEqualTo(0xabcdef);
    assertThat(NodeKeys.height(k)).isEqualTo(17);
    assertThat(NodeKeys.index(k)).isEqualTo(0x123456);
    long p = NodeKeys.parent(k);
    assertThat(NodeKeys.height(p)).isEqualTo(18);
    assertThat(NodeKeys.index(p)).isEqualTo(0x123456 >> 1);
    assertThat(NodeKeys.owner(p)).isEqualTo(0xabcdef);
    assertThat(NodeKeys.kind(p)).isEqualTo(3);
  }
}
