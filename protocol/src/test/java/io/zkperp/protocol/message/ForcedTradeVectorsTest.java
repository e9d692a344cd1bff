package io.zkperp.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The forced-trade message and its priority operation written by gnark-crypto ({@code
 * test-vectors/forced-trade.json}, docs/perp-circuit.md §12): Java recomputes each domain's
 * separator, the packed elements, the message hash and the operation hash from the fields with its
 * own Poseidon2, and verifies account B's signature; a changed field breaks the signature. The
 * message has no Java class yet (the batcher's forced-trade encoder is open work): this test pins
 * the bytes the Java side will have to produce.
 */
class ForcedTradeVectorsTest {
  private static final JsonNode FILE = TestVectors.load("forced-trade.json");
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(8);

  private static Fr tag(String s) {
    return Fr.fromBigInteger(new BigInteger(1, s.getBytes(StandardCharsets.US_ASCII)));
  }

  /** H(x1, …, xn): Poseidon2 Merkle–Damgård with IV 0 (docs/state-layout.md §2). */
  private static Fr hash(Fr... xs) {
    Fr s = Fr.ZERO;
    for (Fr x : xs) {
      s = Poseidon2.compress(s, x);
    }
    return s;
  }

  private static BigInteger u64(JsonNode n) {
    return new BigInteger(n.asText());
  }

  private static Fr[] packed(JsonNode v) {
    BigInteger e1 =
        BigInteger.valueOf(v.path("accountA").asLong())
            .shiftLeft(32)
            .or(BigInteger.valueOf(v.path("accountB").asLong()))
            .shiftLeft(16)
            .or(BigInteger.valueOf(v.path("market").asLong()))
            .shiftLeft(8)
            .or(v.path("aBuys").asBoolean() ? BigInteger.ONE : BigInteger.ZERO)
            .shiftLeft(64)
            .or(u64(v.path("nonce")));
    BigInteger e2 = u64(v.path("size")).shiftLeft(64).or(u64(v.path("amount")));
    return new Fr[] {Fr.fromBigInteger(e1), Fr.fromBigInteger(e2)};
  }

  private static Fr separator(JsonNode d) {
    return hash(
        tag("zkperp/forced-trade"),
        Fr.fromLong(MessageDomain.FORMAT_VERSION),
        Fr.fromBigInteger(new BigInteger(d.path("chainId").asText())),
        L1Address.fromHex(d.path("rollupAddress").asText()).toField());
  }

  @Test
  void separatorsAndTagMatch() {
    for (JsonNode d : FILE.path("domains")) {
      assertThat(separator(d)).as("%s", d).isEqualTo(Fr.fromHex(d.path("separator").asText()));
    }
    assertThat(tag("zkperp/forced-trade/v1")).isEqualTo(Fr.fromHex(FILE.path("opTag").asText()));
  }

  @Test
  void messageHashSignatureAndOpHashMatch() {
    JsonNode cases = FILE.path("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(10);
    for (JsonNode v : cases) {
      Fr sep = separator(FILE.path("domains").get(v.path("domain").asInt()));
      Fr[] p = packed(v);
      assertThat(p[0]).as("e1 %s", v).isEqualTo(Fr.fromHex(v.path("packed").get(0).asText()));
      assertThat(p[1]).as("e2 %s", v).isEqualTo(Fr.fromHex(v.path("packed").get(1).asText()));
      Fr h = hash(sep, p[0], p[1]);
      assertThat(h).as("hash %s", v).isEqualTo(Fr.fromHex(v.path("hash").asText()));

      HexFormat hex = HexFormat.of();
      EdDsaPrivateKey b =
          EdDsaPrivateKey.fromSeed(hex.parseHex(v.path("keySeed").asText().substring(2)));
      byte[] signature = hex.parseHex(v.path("signature").asText().substring(2));
      assertThat(VERIFIER.verify(b.publicKey(), signature, h)).as("B's signature %s", v).isTrue();
      // the size is signed: one more quantum is another message
      Fr other =
          hash(
              sep,
              p[0],
              Fr.fromBigInteger(
                  u64(v.path("size")).add(BigInteger.ONE).shiftLeft(64).or(u64(v.path("amount")))));
      assertThat(VERIFIER.verify(b.publicKey(), signature, other)).isFalse();

      Fr op =
          hash(
              tag("zkperp/forced-trade/v1"),
              p[0],
              p[1],
              L1Address.fromHex(v.path("ownerA").asText()).toField(),
              Fr.fromHex(v.path("sigRX").asText()),
              Fr.fromHex(v.path("sigRY").asText()),
              Fr.fromHex(v.path("sigS").asText()));
      assertThat(op).as("op hash %s", v).isEqualTo(Fr.fromHex(v.path("opHash").asText()));
    }
  }
}
