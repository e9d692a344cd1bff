package io.zkperp.protocol.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.encoding.EncodingError;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

/**
 * The wallet signature → L2 key derivation against the vectors made by Foundry's cast ({@code
 * test-vectors/wallet-keys/eip712-l2-keys.json}: signature by {@code cast wallet sign --data}, seed
 * by {@code cast keccak}), and its handling of the encodings of one signature.
 */
class L2KeyDerivationTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void castSignaturesDeriveTheVectorsSeedsAndKeys() throws Exception {
    JsonNode cases = vectors().path("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(4);
    for (JsonNode v : cases) {
      byte[] sig = bytes(v.path("signature").asText());
      WalletSignature ws = WalletSignature.parse(sig);
      assertThat(L2KeyDerivation.seed(ws)).isEqualTo(bytes(v.path("seed").asText()));
      EdDsaPrivateKey key = L2KeyDerivation.privateKey(sig);
      assertThat(key.publicKey().encode()).isEqualTo(bytes(v.path("publicKey").asText()));
      assertThat(ws.encode()).isEqualTo(sig); // cast: v = 27/28, low s
    }
  }

  @Test
  void keccakIsEthereumsNotSha3() {
    KeccakDigest d = new KeccakDigest(256);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    // Keccak-256 of the empty string (SHA3-256 would be a7ffc6f8…)
    assertThat(HEX.formatHex(out))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Test
  void everyEncodingOfOneSignatureDerivesOneKey() throws Exception {
    byte[] sig = bytes(vectors().path("cases").get(0).path("signature").asText());
    EdDsaPrivateKey key = L2KeyDerivation.privateKey(sig);
    // v as 0/1 instead of 27/28
    byte[] v01 = sig.clone();
    v01[64] = (byte) (sig[64] - 27);
    assertThat(L2KeyDerivation.privateKey(v01).publicKey()).isEqualTo(key.publicKey());
    // the high-s twin (n − s, recovery bit flipped): the same signature for ECDSA
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] high = sig.clone();
    byte[] hs = WalletSignature.SECP256K1_ORDER.subtract(s).toByteArray();
    java.util.Arrays.fill(high, 32, 64, (byte) 0);
    int n = Math.min(hs.length, 32);
    System.arraycopy(hs, hs.length - n, high, 64 - n, n);
    high[64] = (byte) (sig[64] == 27 ? 28 : 27);
    WalletSignature parsed = WalletSignature.parse(high);
    assertThat(parsed).isEqualTo(WalletSignature.parse(sig));
    assertThat(L2KeyDerivation.privateKey(high).publicKey()).isEqualTo(key.publicKey());
    // another r gives another key
    byte[] otherR = sig.clone();
    otherR[5] ^= 1;
    assertThat(L2KeyDerivation.privateKey(otherR).publicKey()).isNotEqualTo(key.publicKey());
  }

  @Test
  void malformedSignaturesAreRefusedWithTypedErrors() throws Exception {
    byte[] sig = bytes(vectors().path("cases").get(0).path("signature").asText());
    assertError(java.util.Arrays.copyOf(sig, 64), EncodingError.WRONG_LENGTH);
    assertError(java.util.Arrays.copyOf(sig, 66), EncodingError.WRONG_LENGTH);
    byte[] badV = sig.clone();
    badV[64] = 2;
    assertError(badV, EncodingError.OUT_OF_RANGE);
    byte[] zeroR = sig.clone();
    java.util.Arrays.fill(zeroR, 0, 32, (byte) 0);
    assertError(zeroR, EncodingError.OUT_OF_RANGE);
    byte[] bigS = sig.clone();
    java.util.Arrays.fill(bigS, 32, 64, (byte) 0xFF); // ≥ n
    assertError(bigS, EncodingError.OUT_OF_RANGE);
    assertThatThrownBy(() -> new WalletSignature(BigInteger.ONE, BigInteger.ONE, 2))
        .isInstanceOf(InvalidEncodingException.class);
    assertThat(WalletSignature.parse(sig).toString()).doesNotContain(HEX.formatHex(sig, 0, 8));
  }

  static void assertError(byte[] sig, EncodingError error) {
    assertThatThrownBy(() -> L2KeyDerivation.privateKey(sig))
        .isInstanceOf(InvalidEncodingException.class)
        .satisfies(e -> assertThat(((InvalidEncodingException) e).error()).isEqualTo(error));
  }

  static JsonNode vectors() throws Exception {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-vectors"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("test-vectors/ not found");
    }
    return new ObjectMapper()
        .readTree(p.resolve("test-vectors/wallet-keys/eip712-l2-keys.json").toFile());
  }

  static byte[] bytes(String hex) {
    return HEX.parseHex(hex.substring(2));
  }
}
