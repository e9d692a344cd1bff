package io.zkperp.protocol.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The allocation-free limb conversions agree with {@link Fr}'s. */
class MontgomeryConversionsTest {
  @Property(tries = 300)
  void integersMatchFr(@ForAll long v) {
    long[] a = new long[4];
    Montgomery.fromUnsignedLong(v, a, 0);
    assertThat(Fr.fromMontgomery(a, 0)).isEqualTo(Fr.fromUnsignedLong(v));
    assertThat(Fr.fromMontgomery(a, 0).toBigInteger())
        .isEqualTo(new BigInteger(Long.toUnsignedString(v)));
    Montgomery.fromLong(v, a, 0);
    assertThat(Fr.fromMontgomery(a, 0).toBigInteger())
        .isEqualTo(BigInteger.valueOf(v).mod(Fr.MODULUS));
  }

  @Test
  void extremes() {
    long[] a = new long[4];
    for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      Montgomery.fromLong(v, a, 0);
      assertThat(Fr.fromMontgomery(a, 0).toLong()).isEqualTo(v);
    }
    Montgomery.fromLong(0, a, 0);
    Montgomery.negate(a, 0);
    assertThat(Montgomery.isZero(a, 0)).isTrue();
  }

  @Property(tries = 200)
  void addressesAndCanonicalBytesRoundTrip(@ForAll byte[] seed) {
    byte[] addr = new byte[20];
    for (int i = 0; i < 20; i++) {
      addr[i] = (byte) (i < seed.length ? seed[i] : i * 37);
    }
    long[] l = new long[4];
    Montgomery.fromShortBytes(addr, 0, 20, l, 0);
    assertThat(Fr.fromMontgomery(l, 0)).isEqualTo(L1Address.of(addr).toField());
    byte[] enc = new byte[40];
    Montgomery.toCanonicalBytes(l, 0, enc, 8, new long[4]);
    assertThat(java.util.Arrays.copyOfRange(enc, 8, 40))
        .isEqualTo(L1Address.of(addr).toField().toBytes());
    long[] back = new long[8];
    assertThat(Montgomery.fromCanonicalBytes(enc, 8, back, 4)).isTrue();
    assertThat(Montgomery.equal(back, 4, l, 0)).isTrue();
  }

  @Test
  void nonCanonicalBytesAreRejectedWithoutWriting() {
    byte[] r = new byte[32];
    byte[] m = Fr.MODULUS.toByteArray();
    System.arraycopy(m, m.length - 32, r, 0, 32);
    long[] l = {7, 7, 7, 7};
    assertThat(Montgomery.fromCanonicalBytes(r, 0, l, 0)).isFalse();
    assertThat(l).containsExactly(7, 7, 7, 7);
    assertThatThrownBy(() -> Montgomery.fromShortBytes(new byte[25], 0, 25, l, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
