package io.zkperp.protocol.eddsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Sign/verify round trips, tampering, and the curve arithmetic behind them. */
class EdDsaPropertiesTest {
  @Provide
  Arbitrary<byte[]> seeds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Provide
  Arbitrary<Fr> elements() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, Fr.MODULUS.subtract(BigInteger.ONE))
        .map(Fr::fromBigInteger);
  }

  @Property(tries = 25)
  void signaturesVerifyAndTamperingIsRejected(
      @ForAll("seeds") byte[] seed, @ForAll("elements") Fr m, @ForAll("elements") Fr other) {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    EdDsaSignature sig = EdDsa.sign(key, m);
    assertThat(EdDsa.verify(key.publicKey(), sig, m)).isTrue();
    // deterministic: same key and message give the same bytes
    assertThat(EdDsa.sign(key, m).encode()).isEqualTo(sig.encode());
    // the encoding round-trips
    EdDsaSignature decoded = EdDsaSignature.decode(sig.encode());
    assertThat(decoded).isEqualTo(sig);
    assertThat(EdDsa.verify(EdDsaPublicKey.decode(key.publicKey().encode()), decoded, m)).isTrue();
    if (!other.equals(m)) {
      assertThat(EdDsa.verify(key.publicKey(), sig, other)).isFalse();
    }
    EdDsaSignature otherS =
        EdDsaSignature.of(
            sig.r(), sig.s().add(BigInteger.ONE).mod(EdwardsPoint.ORDER).max(BigInteger.ONE));
    assertThat(EdDsa.verify(key.publicKey(), otherS, m)).isFalse();
  }

  @Property(tries = 15)
  void torsionInRIsRefusedByBothPathsThoughTheCofactorEquationHolds(
      @ForAll("seeds") byte[] seed, @ForAll("elements") Fr m) {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    BigInteger k = new BigInteger(1, seed).add(BigInteger.TEN).mod(EdwardsPoint.ORDER);
    EdwardsPoint orderTwo = EdwardsPoint.of(Fr.ZERO, Fr.ONE.neg());
    EdwardsPoint rWithTorsion = EdwardsPoint.multiplyBase(k).add(orderTwo);
    Fr c = EdDsa.challenge(rWithTorsion, key.publicKey().point(), m);
    BigInteger s = k.add(c.toBigInteger().multiply(key.scalar())).mod(EdwardsPoint.ORDER);
    // [8][S]B = [8](R' + [c]A) holds for R' = [k]B + T, yet gnark-crypto refuses R' (not in the
    // subgroup); both Java paths must refuse it as well.
    assertThat(
            EdwardsPoint.BASE
                .multiply(s.multiply(BigInteger.valueOf(8)))
                .equals(
                    rWithTorsion
                        .add(key.publicKey().point().multiply(c.toBigInteger()))
                        .multiply(BigInteger.valueOf(8))))
        .isTrue();
    byte[] sBytes = s.toByteArray();
    byte[] enc = new byte[64];
    System.arraycopy(rWithTorsion.encode(), 0, enc, 0, 32);
    System.arraycopy(
        sBytes,
        Math.max(0, sBytes.length - 32),
        enc,
        64 - Math.min(32, sBytes.length),
        Math.min(32, sBytes.length));
    assertThatThrownBy(() -> EdDsaSignature.decode(enc))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.POINT_NOT_IN_SUBGROUP));
    assertThat(EdDsa.verify(key.publicKey(), enc, m)).isFalse();
    assertThat(EdDsa.verify(PublicKeyTable.of(key.publicKey()), enc, m)).isFalse();
    // and the honest signature passes the fast path
    assertThat(EdDsa.verify(key.publicKey(), EdDsa.sign(key, m).encode(), m)).isTrue();
  }

  @Property(tries = 10)
  void theCombTablePathAgreesWithTheGenericPath(
      @ForAll("seeds") byte[] seed,
      @ForAll("elements") Fr m,
      @ForAll("elements") Fr other,
      @ForAll("seeds") byte[] k) {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(seed);
    PublicKeyTable table = PublicKeyTable.of(key.publicKey());
    byte[] sig = EdDsa.sign(key, m).encode();
    assertThat(EdDsa.verify(table, sig, m)).isTrue();
    assertThat(EdDsa.verify(table, sig, other)).isEqualTo(other.equals(m));
    byte[] tampered = sig.clone();
    tampered[40] ^= 1;
    assertThat(EdDsa.verify(table, tampered, m))
        .isEqualTo(EdDsa.verify(key.publicKey(), tampered, m))
        .isFalse();
    // another signer's table refuses the signature
    assertThat(EdDsa.verify(PublicKeyTable.of(EdDsaPrivateKey.fromSeed(k).publicKey()), sig, m))
        .isEqualTo(java.util.Arrays.equals(seed, k));
    // the comb multiplication equals the windowed one for any 256-bit scalar, including the
    // extremes
    long[] limbs = limbsOf(k);
    ExtendedPoint a = ExtendedPoint.from(key.publicKey().point());
    assertThat(table.table.multiply(limbs).sameAs(a.multiply(limbs))).isTrue();
    long[] max = {-1L, -1L, -1L, -1L};
    assertThat(table.table.multiply(max).sameAs(a.multiply(max))).isTrue();
    assertThat(table.table.multiply(new long[4]).isIdentity()).isTrue();
  }

  private static long[] limbsOf(byte[] bigEndian) {
    long[] limbs = new long[4];
    for (int i = 0; i < 32; i++) {
      limbs[3 - i / 8] = (limbs[3 - i / 8] << 8) | (bigEndian[i] & 0xFF);
    }
    return limbs;
  }

  private static EdDsaPublicKey key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >> 8);
    return EdDsaPrivateKey.fromSeed(seed).publicKey();
  }

  @Test
  void aKeyEarnsATableAfterRepeatedUseAndTheLeastUsedHolderMakesRoom() {
    PublicKeyTableCache<PublicKeyTable> cache = PublicKeyTableCache.ofJavaTables(2);
    EdDsaPublicKey a = key(1);
    EdDsaPublicKey b = key(2);
    EdDsaPublicKey c = key(3);
    for (int i = 1; i < PublicKeyTableCache.ADMIT_AFTER; i++) {
      assertThat(cache.table(a)).isNull(); // not yet worth a table
    }
    PublicKeyTable ta = cache.table(a);
    assertThat(ta).isNotNull();
    assertThat(ta.key()).isEqualTo(a);
    assertThat(cache.table(a)).isSameAs(ta);
    for (int i = 0; i < 10; i++) {
      cache.table(b);
    }
    assertThat(cache.size()).isEqualTo(2);
    // c is used more than a (5 uses), less than b (10): it replaces a, never b
    for (int i = 0; i < 5; i++) {
      assertThat(cache.table(c)).isNull();
    }
    assertThat(cache.table(c)).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.table(b)).isNotNull();
    assertThat(cache.builds()).isEqualTo(3);
  }

  @Test
  void manyEquallyActiveKeysDoNotThrashTheCache() {
    int capacity = 8;
    PublicKeyTableCache<PublicKeyTable> cache = PublicKeyTableCache.ofJavaTables(capacity);
    EdDsaPublicKey[] keys = new EdDsaPublicKey[4 * capacity];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(100 + i);
    }
    int withTable = 0;
    int lookups = 0;
    for (int round = 0; round < 40; round++) {
      for (EdDsaPublicKey k : keys) {
        lookups++;
        if (cache.table(k) != null) {
          withTable++;
        }
      }
    }
    // a plain LRU cache would build a table on nearly every lookup here; admission by frequency
    // builds few more than the capacity, and a fixed quarter of the keys keeps its tables
    assertThat(cache.builds()).isLessThanOrEqualTo(2L * capacity);
    assertThat(cache.size()).isEqualTo(capacity);
    assertThat(withTable).isGreaterThan(lookups / 5);
  }

  @Property(tries = 20)
  void pointArithmeticIsConsistent(@ForAll("seeds") byte[] seed) {
    BigInteger a = new BigInteger(1, seed).mod(EdwardsPoint.ORDER);
    BigInteger b = new BigInteger(1, seed).shiftRight(7).add(BigInteger.valueOf(12345));
    EdwardsPoint pa = EdwardsPoint.multiplyBase(a);
    EdwardsPoint pb = EdwardsPoint.multiplyBase(b);
    // fixed-base and variable-base agree, and [a]B + [b]B = [a+b]B
    assertThat(EdwardsPoint.BASE.multiply(a)).isEqualTo(pa);
    assertThat(pa.add(pb)).isEqualTo(EdwardsPoint.multiplyBase(a.add(b)));
    assertThat(pa.add(pa.negate()).isIdentity()).isTrue();
    assertThat(pa.isOnCurve()).isTrue();
    assertThat(pa.isIdentity() || pa.isInSubgroup()).isTrue();
    assertThat(EdwardsPoint.decode(pa.encode())).isEqualTo(pa);
  }

  @Test
  void baseHasPrimeOrderAndTorsionIsDetected() {
    assertThat(EdwardsPoint.BASE.multiply(EdwardsPoint.ORDER).isIdentity()).isTrue();
    EdwardsPoint orderTwo = EdwardsPoint.of(Fr.ZERO, Fr.ONE.neg());
    assertThat(orderTwo.add(orderTwo).isIdentity()).isTrue();
    EdwardsPoint mixed = EdwardsPoint.BASE.add(orderTwo);
    assertThat(mixed.isOnCurve()).isTrue();
    assertThat(mixed.isInSubgroup()).isFalse();
    assertThatThrownBy(() -> EdDsaPublicKey.of(mixed))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.POINT_NOT_IN_SUBGROUP));
    assertThatThrownBy(() -> EdDsaPublicKey.of(EdwardsPoint.IDENTITY))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.POINT_IDENTITY));
    assertThatThrownBy(() -> EdwardsPoint.of(Fr.ONE, Fr.ONE))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.POINT_NOT_ON_CURVE));
  }

  @Test
  void privateKeyFormIsCheckedAndSeedLengthEnforced() {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    assertThat(EdDsaPrivateKey.decode(key.encode()).publicKey()).isEqualTo(key.publicKey());
    byte[] unclamped = key.encode();
    unclamped[63] |= 1;
    assertThatThrownBy(() -> EdDsaPrivateKey.decode(unclamped))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.INVALID_PRIVATE_KEY));
    byte[] otherKey =
        EdDsaPrivateKey.fromSeed(
                new byte[] {
                  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                  24, 25, 26, 27, 28, 29, 30, 31, 32
                })
            .encode();
    System.arraycopy(
        key.encode(), 32, otherKey, 32, 32); // scalar of one key, public key of another
    assertThatThrownBy(() -> EdDsaPrivateKey.decode(otherKey))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.INVALID_PRIVATE_KEY));
    assertThatThrownBy(() -> EdDsaPrivateKey.fromSeed(new byte[31]))
        .isInstanceOfSatisfying(
            InvalidEncodingException.class,
            e -> assertThat(e.error()).isEqualTo(EncodingError.WRONG_LENGTH));
  }
}
