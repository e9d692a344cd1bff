package io.zkperp.protocol.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Fr arithmetic agrees with BigInteger arithmetic mod r; encodings are strict and round-trip. */
class FrPropertiesTest {
  private static final BigInteger R = Fr.MODULUS;

  @Provide
  Arbitrary<BigInteger> elements() {
    // Mix uniformly random values with the edges where carries and reductions happen.
    Arbitrary<BigInteger> random =
        Arbitraries.bigIntegers().between(BigInteger.ZERO, R.subtract(BigInteger.ONE));
    Arbitrary<BigInteger> edges =
        Arbitraries.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.TWO,
            R.subtract(BigInteger.ONE),
            R.subtract(BigInteger.TWO),
            R.shiftRight(1),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(64),
            BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(253));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, random), net.jqwik.api.Tuple.of(1, edges));
  }

  @Property(tries = 2000)
  void addSubMulMatchBigInteger(
      @ForAll("elements") BigInteger a, @ForAll("elements") BigInteger b) {
    Fr x = Fr.fromBigInteger(a);
    Fr y = Fr.fromBigInteger(b);
    assertThat(x.add(y).toBigInteger()).isEqualTo(a.add(b).mod(R));
    assertThat(x.sub(y).toBigInteger()).isEqualTo(a.subtract(b).mod(R));
    assertThat(x.mul(y).toBigInteger()).isEqualTo(a.multiply(b).mod(R));
    assertThat(x.square().toBigInteger()).isEqualTo(a.multiply(a).mod(R));
    assertThat(x.neg().toBigInteger()).isEqualTo(a.negate().mod(R));
    assertThat(x.dbl().toBigInteger()).isEqualTo(a.shiftLeft(1).mod(R));
    assertThat(x.compareTo(y)).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 300)
  void inverseAndSquareRoot(@ForAll("elements") BigInteger a) {
    Fr x = Fr.fromBigInteger(a);
    if (!x.isZero()) {
      assertThat(x.inverse().mul(x)).isEqualTo(Fr.ONE);
    }
    Fr root = x.sqrt();
    boolean isSquare = a.signum() == 0 || a.modPow(R.shiftRight(1), R).equals(BigInteger.ONE);
    assertThat(root != null).isEqualTo(isSquare);
    if (root != null) {
      assertThat(root.square()).isEqualTo(x);
    }
    assertThat(x.square().sqrt().square()).isEqualTo(x.square());
  }

  @Property(tries = 1000)
  void bytesRoundTripAndLexicographicSign(@ForAll("elements") BigInteger a) {
    Fr x = Fr.fromBigInteger(a);
    byte[] b = x.toBytes();
    assertThat(b).hasSize(32);
    assertThat(new BigInteger(1, b)).isEqualTo(a);
    assertThat(Fr.fromBytes(b)).isEqualTo(x);
    assertThat(Fr.fromHex(x.toHex())).isEqualTo(x);
    assertThat(x.isLexicographicallyLargest()).isEqualTo(a.compareTo(R.shiftRight(1)) > 0);
  }

  @Property(tries = 1000)
  void signedEmbeddingRoundTrips(@ForAll long v) {
    Fr x = Fr.fromLong(v);
    assertThat(x.toBigInteger()).isEqualTo(BigInteger.valueOf(v).mod(R));
    assertThat(x.toLong()).isEqualTo(v);
  }

  @Property(tries = 1000)
  void unsignedEmbeddingRoundTrips(@ForAll long v) {
    Fr x = Fr.fromUnsignedLong(v);
    assertThat(x.toBigInteger()).isEqualTo(new BigInteger(Long.toUnsignedString(v)));
    assertThat(x.toUnsignedLong()).isEqualTo(v);
  }

  @Test
  void signedDecodingRejectsValuesOutsideI64() {
    Fr justAbove = Fr.fromBigInteger(BigInteger.ONE.shiftLeft(63));
    Fr justBelow =
        Fr.fromBigInteger(R.subtract(BigInteger.ONE.shiftLeft(63)).subtract(BigInteger.ONE));
    for (Fr x : new Fr[] {justAbove, justBelow, Fr.fromBigInteger(R.shiftRight(1))}) {
      assertThatThrownBy(x::toLong)
          .isInstanceOfSatisfying(
              InvalidEncodingException.class,
              e -> assertThat(e.error()).isEqualTo(EncodingError.OUT_OF_RANGE));
    }
    assertThat(Fr.fromBigInteger(R.subtract(BigInteger.ONE.shiftLeft(63))).toLong())
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void strictParsingRejectsNonCanonicalAndWrongLengths() {
    byte[] modulus = new byte[32];
    byte[] m = R.toByteArray();
    System.arraycopy(m, m.length - 32, modulus, 0, 32);
    assertThatThrownBy(() -> Fr.fromBytes(modulus))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> {
              assertThat(e.error()).isEqualTo(EncodingError.NON_CANONICAL_FIELD_ELEMENT);
              assertThat(e.getMessage()).contains("0x30644e72").contains("0 .. r-1");
            });
    assertThatThrownBy(() -> Fr.fromBytes(new byte[31]))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.WRONG_LENGTH));
    assertThatThrownBy(() -> Fr.fromBytes(new byte[33]))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.WRONG_LENGTH));
    assertThatThrownBy(() -> Fr.fromHex("0xzz"))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.MALFORMED_TEXT));
    assertThatThrownBy(
            () ->
                Fr.fromUnsignedLong(1)
                    .add(Fr.fromBigInteger(BigInteger.TWO.pow(64)))
                    .toUnsignedLong())
        .isInstanceOf(InvalidEncodingException.class);
    assertThatThrownBy(Fr.ZERO::inverse).isInstanceOf(ArithmeticException.class);
  }

  @Property(tries = 500)
  void limbArithmeticAliasesSafely(
      @ForAll("elements") BigInteger a, @ForAll("elements") BigInteger b) {
    long[] s = new long[8];
    Fr.fromBigInteger(a).toMontgomery(s, 0);
    Fr.fromBigInteger(b).toMontgomery(s, 4);
    Montgomery.mul(s, 0, s, 0, s, 4); // output aliases the first input
    assertThat(Fr.fromMontgomery(s, 0).toBigInteger()).isEqualTo(a.multiply(b).mod(R));
    Montgomery.sub(s, 4, s, 0, s, 4);
    assertThat(Fr.fromMontgomery(s, 4).toBigInteger()).isEqualTo(a.multiply(b).subtract(b).mod(R));
  }
}
