package io.zkperp.protocol.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Properties of the Poseidon2 API surfaces beyond the golden vectors. */
class Poseidon2PropertiesTest {
  @Provide
  Arbitrary<Fr> elements() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, Fr.MODULUS.subtract(BigInteger.ONE))
        .map(Fr::fromBigInteger);
  }

  @Property(tries = 200)
  void compressIsPermutationOutputPlusRight(@ForAll("elements") Fr l, @ForAll("elements") Fr r) {
    Fr[] p = Poseidon2.permute(l, r);
    assertThat(Poseidon2.compress(l, r)).isEqualTo(p[1].add(r));
    assertThat(Poseidon2.compress(l.toBytes(), r.toBytes())).isEqualTo(p[1].add(r).toBytes());
  }

  @Property(tries = 100)
  void incrementalHasherEqualsOneShotAndChainedCompress(
      @ForAll("elements") Fr a, @ForAll("elements") Fr b, @ForAll("elements") Fr c) {
    Fr chained = Poseidon2.compress(Poseidon2.compress(Poseidon2.compress(Fr.ZERO, a), b), c);
    assertThat(Poseidon2.hash(a, b, c)).isEqualTo(chained);
    Poseidon2Hasher h = new Poseidon2Hasher().write(a);
    Fr afterOne = h.sum();
    assertThat(afterOne).isEqualTo(Poseidon2.hash(a));
    assertThat(h.write(b, c).sum()).isEqualTo(chained);
    assertThat(h.reset().sum()).isEqualTo(Fr.ZERO);
  }

  @Test
  void byteInputFollowsGnarkBlockRules() {
    // A short last block is left-padded with zeros, as gnark-crypto's MD hasher does.
    byte[] three = {1, 2, 3};
    Fr expected = Poseidon2.hash(Fr.fromUnsignedLong(0x010203));
    assertThat(new Poseidon2Hasher().writeBytes(three).sum()).isEqualTo(expected);

    // A non-canonical block is rejected and leaves the hasher unchanged.
    byte[] bad = new byte[64];
    Fr.ONE.writeBytes(bad, 0);
    java.util.Arrays.fill(bad, 32, 64, (byte) 0xff);
    Poseidon2Hasher h = new Poseidon2Hasher().write(Fr.ONE);
    Fr before = h.sum();
    assertThatThrownBy(() -> h.writeBytes(bad))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> {
              assertThat(e.error()).isEqualTo(EncodingError.NON_CANONICAL_FIELD_ELEMENT);
              assertThat(e.getMessage()).contains("block 2");
            });
    assertThat(h.sum()).isEqualTo(before);
  }

  @Test
  void roundKeysHaveTheGnarkShape() {
    Fr[][] keys = Poseidon2.roundKeys();
    assertThat(keys).hasNumberOfRows(56);
    assertThat(
            List.of(
                keys[0].length, keys[2].length, keys[3].length, keys[52].length, keys[53].length))
        .containsExactly(2, 2, 1, 1, 2);
    keys[0][0] = Fr.ZERO; // the returned copy cannot change the permutation
    assertThat(Poseidon2.roundKeys()[0][0]).isNotEqualTo(Fr.ZERO);
  }
}
