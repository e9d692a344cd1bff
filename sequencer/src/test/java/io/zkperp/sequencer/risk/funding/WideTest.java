package io.zkperp.sequencer.risk.funding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WideTest {
  static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);

  @Test
  void mulDivMatchesBigInteger() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < 200_000; i++) {
      long a = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
      long b = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
      long c = Math.max(1, (rnd.nextLong() >>> 1) >>> rnd.nextInt(63));
      BigInteger[] qr =
          BigInteger.valueOf(a)
              .multiply(BigInteger.valueOf(b))
              .divideAndRemainder(BigInteger.valueOf(c));
      BigInteger floor = qr[0];
      BigInteger ceil = qr[1].signum() == 0 ? floor : floor.add(BigInteger.ONE);
      if (floor.compareTo(TWO_63) < 0) {
        assertThat(Wide.mulDivFloor(a, b, c)).isEqualTo(floor.longValueExact());
      } else {
        assertThatThrownBy(() -> Wide.mulDivFloor(a, b, c)).isInstanceOf(ArithmeticException.class);
      }
      if (ceil.compareTo(TWO_63) < 0) {
        assertThat(Wide.mulDivCeil(a, b, c)).isEqualTo(ceil.longValueExact());
      } else {
        assertThatThrownBy(() -> Wide.mulDivCeil(a, b, c)).isInstanceOf(ArithmeticException.class);
      }
    }
  }

  @Test
  void wideDivisorMatchesBigInteger() {
    SplittableRandom rnd = new SplittableRandom(12);
    for (int i = 0; i < 100_000; i++) {
      long nHi = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
      long nLo = rnd.nextLong();
      long dHi = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
      long dLo = rnd.nextLong();
      if (dHi == 0 && dLo == 0) {
        continue;
      }
      BigInteger n = BigInteger.valueOf(nHi).shiftLeft(64).or(unsigned(nLo));
      BigInteger d = BigInteger.valueOf(dHi).shiftLeft(64).or(unsigned(dLo));
      BigInteger q = n.divide(d);
      if (q.compareTo(TWO_63) < 0) {
        assertThat(Wide.divide(nHi, nLo, dHi, dLo, false)).isEqualTo(q.longValueExact());
      } else {
        assertThatThrownBy(() -> Wide.divide(nHi, nLo, dHi, dLo, false))
            .isInstanceOf(ArithmeticException.class);
      }
    }
  }

  @Test
  void edgeCases() {
    assertThat(Wide.mulDivFloor(7, 3, 2)).isEqualTo(10); // 21 / 2 = 10.5
    assertThat(Wide.mulDivCeil(7, 3, 2)).isEqualTo(11);
    assertThat(Wide.mulDivCeil(6, 3, 2)).isEqualTo(9); // exact: no rounding up
    assertThat(Wide.mulDivFloor(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    // (2^32 − 1)(2^32 + 1) / 2 = (2^64 − 1) / 2 = 2^63 − 1 remainder 1: the floor fits, the
    // ceiling 2^63 does not
    long a = (1L << 32) - 1;
    long b = (1L << 32) + 1;
    assertThat(Wide.mulDivFloor(a, b, 2)).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> Wide.mulDivCeil(a, b, 2)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Wide.mulDivFloor(-1, 1, 1)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Wide.mulDivFloor(1, 1, 0)).isInstanceOf(ArithmeticException.class);
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }
}
