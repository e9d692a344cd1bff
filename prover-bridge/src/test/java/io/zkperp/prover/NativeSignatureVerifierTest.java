package io.zkperp.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.EdwardsPoint;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.vectors.TestVectors;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native verifier against the Java reference {@link EdDsa#verify(EdDsaPublicKey, byte[],
 * Fr...)}: the golden gnark-crypto vectors, then thousands of random valid, tampered, malformed and
 * torsion signatures, with and without key tables, from several threads. "Same answer" means the
 * same boolean, or an {@link InvalidEncodingException} with the same error code.
 */
class NativeSignatureVerifierTest {
  private static final HexFormat HEX = HexFormat.of();
  private static NativeSignatureVerifier verifier;

  @BeforeAll
  static void load() {
    verifier = NativeSignatureVerifier.load(4);
  }

  /** A verdict: "true", "false" or the encoding error's name. */
  private static String outcome(java.util.function.BooleanSupplier call) {
    try {
      return Boolean.toString(call.getAsBoolean());
    } catch (InvalidEncodingException e) {
      return e.error().name();
    }
  }

  private static String reference(EdDsaPublicKey key, byte[] sig, Fr[] message, boolean hashed) {
    Fr[] m = hashed ? new Fr[] {Poseidon2.hash(message)} : message;
    return outcome(() -> EdDsa.verify(key, sig, m));
  }

  private static String nativeAnswer(
      NativeSignatureVerifier v, EdDsaPublicKey key, byte[] sig, Fr[] message, boolean hashed) {
    return outcome(() -> hashed ? v.verifyHashed(key, sig, message) : v.verify(key, sig, message));
  }

  private static byte[] hex(JsonNode n) {
    return HEX.parseHex(n.asText().substring(2));
  }

  private static Fr[] message(JsonNode arr) {
    Fr[] m = new Fr[arr.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = Fr.fromHex(arr.get(i).asText());
    }
    return m;
  }

  @Test
  void goldenVectorsGetTheReferenceAnswers() {
    JsonNode v = TestVectors.load("eddsa.json");
    int valid = 0;
    for (JsonNode s : v.get("signatures")) {
      JsonNode k = v.get("keys").get(s.get("seedIndex").asInt());
      EdDsaPublicKey key =
          EdDsaPublicKey.of(
              Fr.fromHex(k.get("publicKeyX").asText()), Fr.fromHex(k.get("publicKeyY").asText()));
      byte[] sig = hex(s.get("signature"));
      Fr[] m = message(s.get("message"));
      for (int i = 0; i < 6; i++) { // the 4th use on builds the key's table
        assertThat(verifier.verify(key, sig, m)).isTrue();
      }
      valid++;
    }
    List<String> reasons = new ArrayList<>();
    for (JsonNode c : v.get("invalid")) {
      EdDsaPublicKey key;
      try {
        key = EdDsaPublicKey.decode(hex(c.get("publicKey")));
      } catch (InvalidEncodingException e) {
        continue; // identity or off-subgroup key: refused before any verifier sees it
      }
      byte[] sig = hex(c.get("signature"));
      Fr[] m = message(c.get("message"));
      String want = reference(key, sig, m, false);
      assertThat(want).as(c.get("reason").asText()).isNotEqualTo("true");
      assertThat(nativeAnswer(verifier, key, sig, m, false))
          .as(c.get("reason").asText())
          .isEqualTo(want);
      reasons.add(c.get("reason").asText() + "=" + want);
    }
    assertThat(valid).isEqualTo(20);
    assertThat(reasons)
        .contains(
            "r_not_in_subgroup=false",
            "s_zero=SCALAR_OUT_OF_RANGE",
            "r_not_on_curve=POINT_NOT_ON_CURVE",
            "r_y_not_canonical=POINT_Y_NOT_CANONICAL",
            "wrong_length_short=WRONG_LENGTH");
  }

  @Test
  void randomSignaturesGetTheReferenceAnswersFromManyThreads() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = 1000 + t;
        results.add(pool.submit(() -> differential(seed, 300)));
      }
      int[] total = new int[3];
      for (Future<int[]> f : results) {
        int[] counts = f.get();
        for (int i = 0; i < 3; i++) {
          total[i] += counts[i];
        }
      }
      // every kind of answer occurred: valid, invalid, malformed
      assertThat(java.util.Arrays.stream(total).min().getAsInt())
          .as(java.util.Arrays.toString(total))
          .isGreaterThan(50);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Cases from one seed; returns how many were valid, invalid and malformed. */
  private static int[] differential(long seed, int cases) {
    Random rnd = new Random(seed);
    EdDsaPrivateKey[] keys = new EdDsaPrivateKey[6]; // few keys: some earn native tables
    for (int i = 0; i < keys.length; i++) {
      byte[] s = new byte[32];
      rnd.nextBytes(s);
      keys[i] = EdDsaPrivateKey.fromSeed(s);
    }
    int[] counts = new int[3];
    for (int i = 0; i < cases; i++) {
      EdDsaPrivateKey signer = keys[rnd.nextInt(keys.length)];
      EdDsaPublicKey key =
          rnd.nextInt(8) == 0 ? keys[rnd.nextInt(keys.length)].publicKey() : signer.publicKey();
      Fr[] m = new Fr[1 + rnd.nextInt(3)];
      for (int j = 0; j < m.length; j++) {
        m[j] = rnd.nextBoolean() ? Fr.fromUnsignedLong(rnd.nextLong()) : Fr.reduce(bytes(rnd, 32));
      }
      boolean hashed = rnd.nextBoolean();
      Fr[] signed = hashed ? new Fr[] {Poseidon2.hash(m)} : m;
      byte[] sig = EdDsa.sign(signer, signed).encode();
      switch (rnd.nextInt(7)) {
        case 0 -> sig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8)); // one bit
        case 1 -> sig = bytes(rnd, 64); // noise
        case 2 -> sig = java.util.Arrays.copyOf(sig, rnd.nextInt(80)); // wrong length
        case 3 -> sig = torsion(rnd, signer, signed); // the cofactor equation holds, R ∉ subgroup
        case 4 -> m[0] = m[0].add(Fr.ONE); // another message
        default -> {} // valid
      }
      String want = reference(key, sig, m, hashed);
      assertThat(nativeAnswer(verifier, key, sig, m, hashed))
          .as("seed %d case %d sig %s", seed, i, HEX.formatHex(sig))
          .isEqualTo(want);
      counts[want.equals("true") ? 0 : want.equals("false") ? 1 : 2]++;
    }
    return counts;
  }

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** A signature whose R carries a point of order 2 and whose S satisfies the cofactor equation. */
  private static byte[] torsion(Random rnd, EdDsaPrivateKey key, Fr[] message) {
    BigInteger k = new BigInteger(200, rnd).add(BigInteger.TWO);
    EdwardsPoint r = EdwardsPoint.multiplyBase(k).add(EdwardsPoint.of(Fr.ZERO, Fr.ONE.neg()));
    Fr c = EdDsa.challenge(r, key.publicKey().point(), message);
    BigInteger s = k.add(c.toBigInteger().multiply(key.scalar())).mod(EdwardsPoint.ORDER);
    byte[] enc = new byte[64];
    System.arraycopy(r.encode(), 0, enc, 0, 32);
    byte[] sb = s.toByteArray();
    int n = Math.min(32, sb.length);
    System.arraycopy(sb, sb.length - n, enc, 64 - n, n);
    return enc;
  }

  @Test
  void badArgumentsAreRefusedWithoutCrossingIntoNativeCode() {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    byte[] sig = EdDsa.sign(key, Fr.ONE).encode();
    assertThatThrownBy(() -> verifier.verify(key.publicKey(), sig))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> verifier.verify(key.publicKey(), sig, new Fr[17]))
        .isInstanceOf(IllegalArgumentException.class);
    // the raw entry point checks its arguments too
    assertThat(NativeEdDsa.verify(new byte[63], null, sig, new byte[32], false))
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    assertThat(NativeEdDsa.verify(new byte[64], null, sig, new byte[31], false))
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    assertThat(
            NativeEdDsa.verify(
                new byte[64],
                java.nio.ByteBuffer.allocate(NativeEdDsa.tableBytes()),
                sig,
                new byte[32],
                false))
        .as("a heap buffer is not a table")
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    assertThat(
            NativeEdDsa.verify(
                new byte[64], java.nio.ByteBuffer.allocateDirect(64), sig, new byte[32], false))
        .as("a short table")
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    byte[] nonCanonical = new byte[32];
    java.util.Arrays.fill(nonCanonical, (byte) 0xff);
    assertThat(NativeEdDsa.verify(new byte[64], null, sig, nonCanonical, false))
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    assertThat(NativeEdDsa.buildTable(new byte[64], java.nio.ByteBuffer.allocateDirect(64)))
        .isEqualTo(NativeEdDsa.BAD_ARGUMENT);
    assertThat(verifier.verify(key.publicKey(), sig, Fr.ONE)).isTrue();
  }
}
