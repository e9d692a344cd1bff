package io.zkperp.state.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LimbsTest {
  @Property(tries = 200)
  void integersMatchFr(@ForAll long v) {
    long[] a = new long[4];
    Limbs.fromUnsigned(v, a, 0);
    assertThat(Limbs.toFr(a, 0)).isEqualTo(Fr.fromUnsignedLong(v));
    Limbs.fromSigned(v, a, 0);
    assertThat(Limbs.toFr(a, 0)).isEqualTo(Fr.fromLong(v));
  }

  @Test
  void extremesMatchFr() {
    long[] a = new long[4];
    for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      Limbs.fromSigned(v, a, 0);
      assertThat(Limbs.toFr(a, 0)).isEqualTo(Fr.fromLong(v));
      Limbs.fromUnsigned(v, a, 0);
      assertThat(Limbs.toFr(a, 0)).isEqualTo(Fr.fromUnsignedLong(v));
    }
  }

  @Property(tries = 100)
  void addressesAndCanonicalBytesRoundTrip(@ForAll byte[] seed) {
    byte[] addr = new byte[20];
    for (int i = 0; i < 20; i++) {
      addr[i] = (byte) (i < seed.length ? seed[i] : i * 37);
    }
    L1Address a = L1Address.of(addr);
    long[] l = new long[4];
    Limbs.fromAddress(addr, l, 0);
    assertThat(Limbs.toFr(l, 0)).isEqualTo(a.toField());
    byte[] enc = new byte[32];
    Limbs.toCanonical(l, 0, enc, 0, new long[4]);
    assertThat(enc).isEqualTo(a.toField().toBytes());
    long[] back = new long[4];
    assertThat(Limbs.fromCanonical(enc, 0, back, 0)).isTrue();
    assertThat(Limbs.equal(back, 0, l, 0)).isTrue();
  }

  @Test
  void nonCanonicalBytesAreRejected() {
    byte[] r = new byte[32];
    byte[] m = Fr.MODULUS.toByteArray();
    System.arraycopy(m, m.length - 32, r, 0, 32);
    long[] l = new long[4];
    assertThat(Limbs.fromCanonical(r, 0, l, 0)).isFalse();
    byte[] below = Fr.MODULUS.subtract(BigInteger.ONE).toByteArray();
    byte[] rm1 = new byte[32];
    System.arraycopy(below, below.length - 32, rm1, 0, 32);
    assertThat(Limbs.fromCanonical(rm1, 0, l, 0)).isTrue();
    assertThat(Limbs.toFr(l, 0).toBigInteger()).isEqualTo(Fr.MODULUS.subtract(BigInteger.ONE));
  }
}
