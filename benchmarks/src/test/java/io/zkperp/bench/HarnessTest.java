package io.zkperp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.state.StateLayout;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of the benchmark harness whose mistakes would silently skew reported figures. */
class HarnessTest {
  @Test
  void medianOfOddAndEvenSamples() {
    assertThat(Medians.of(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    assertThat(Medians.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThatThrownBy(() -> Medians.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void benchmarkAccountIdsAreDistinctAndInRange() {
    // The populated tree must really hold N distinct accounts; a colliding id map would make
    // the tree smaller than reported.
    int n = 1 << 20;
    BitSet seen = new BitSet(1 << StateLayout.ACCOUNTS_DEPTH);
    for (int i = 0; i < n; i++) {
      int id = BenchAccounts.id(i);
      assertThat(id).isBetween(0, (1 << StateLayout.ACCOUNTS_DEPTH) - 1);
      assertThat(seen.get(id)).as("id of account %d collides", i).isFalse();
      seen.set(id);
    }
    // and they are spread over the tree, not packed into its left end
    assertThat(seen.nextSetBit(1 << 23)).isLessThan(1 << 24);
    assertThat(BenchAccounts.account(7, 9).nonce()).isEqualTo(7);
  }

  @Test
  void goBenchmarkOutputIsParsedPerBenchmark() {
    String out =
        """
        goos: linux
        goarch: amd64
        BenchmarkPoseidon2Compress-2            224523          5301 ns/op          32 B/op          1 allocs/op
        BenchmarkPoseidon2CompressElements-2    229137          5210.5 ns/op         0 B/op          0 allocs/op
        BenchmarkPoseidon2Compress-2            225001          5288 ns/op          32 B/op          1 allocs/op
        PASS
        """;
    assertThat(GoBenchmark.parse(out, "BenchmarkPoseidon2Compress"))
        .containsExactly(5301.0, 5288.0);
    assertThat(GoBenchmark.parse(out, "BenchmarkPoseidon2CompressElements"))
        .containsExactly(5210.5);
    assertThat(GoBenchmark.parse(out, "BenchmarkPoseidon2Permutation")).isEmpty();
  }
}
