package io.zkperp.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * test-vectors/forced-trade.json}, docs/perp-circuit.md §12): {@link ForcedTradeMessage} computes,
 * from each case's fields, the packed elements, the message hash under the case's {@link
 * MessageDomain} (whose separator the test also recomputes from the tag's ASCII) and the operation
 * hash, and verifies account B's signature; a changed field breaks the signature.
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

  private static long u64(JsonNode n) {
    return Long.parseUnsignedLong(n.asText());
  }

  private static ForcedTradeMessage message(JsonNode v) {
    return new ForcedTradeMessage(
        v.path("accountA").asInt(),
        v.path("accountB").asInt(),
        v.path("market").asInt(),
        v.path("aBuys").asBoolean(),
        u64(v.path("size")),
        u64(v.path("amount")),
        u64(v.path("nonce")));
  }

  private static MessageDomain domain(JsonNode d) {
    return MessageDomain.of(
        d.path("chainId").asLong(), L1Address.fromHex(d.path("rollupAddress").asText()));
  }

  private static Fr separator(JsonNode d) {
    return hash(
        tag("zkperp/forced-trade"),
        Fr.fromLong(MessageDomain.FORMAT_VERSION),
        Fr.fromBigInteger(new BigInteger(d.path("chainId").asText())),
        L1Address.fromHex(d.path("rollupAddress").asText()).toField());
  }

  @Test
  void aMarketOutsideItsPackedWidthIsRefusedBeforeHashing() {
    assertThatThrownBy(() -> new ForcedTradeMessage(1, 2, 1 << 16, true, 1, 1, 1))
        .isInstanceOf(InvalidMessageFieldException.class)
        .hasMessageContaining("market");
  }

  @Test
  void separatorsAndTagMatch() {
    for (JsonNode d : FILE.path("domains")) {
      assertThat(separator(d)).as("%s", d).isEqualTo(Fr.fromHex(d.path("separator").asText()));
      assertThat(domain(d).separator(MessageType.FORCED_TRADE)).isEqualTo(separator(d));
    }
    assertThat(tag("zkperp/forced-trade/v1")).isEqualTo(Fr.fromHex(FILE.path("opTag").asText()));
    assertThat(ForcedTradeMessage.TAG_OP).isEqualTo(Fr.fromHex(FILE.path("opTag").asText()));
  }

  @Test
  void messageHashSignatureAndOpHashMatch() {
    JsonNode cases = FILE.path("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(10);
    for (JsonNode v : cases) {
      MessageDomain domain = domain(FILE.path("domains").get(v.path("domain").asInt()));
      ForcedTradeMessage m = message(v);
      Fr[] p = m.packed();
      assertThat(p[0]).as("e1 %s", v).isEqualTo(Fr.fromHex(v.path("packed").get(0).asText()));
      assertThat(p[1]).as("e2 %s", v).isEqualTo(Fr.fromHex(v.path("packed").get(1).asText()));
      Fr h = m.hash(domain);
      assertThat(h).as("hash %s", v).isEqualTo(Fr.fromHex(v.path("hash").asText()));

      HexFormat hex = HexFormat.of();
      EdDsaPrivateKey b =
          EdDsaPrivateKey.fromSeed(hex.parseHex(v.path("keySeed").asText().substring(2)));
      byte[] signature = hex.parseHex(v.path("signature").asText().substring(2));
      assertThat(m.verify(VERIFIER, b.publicKey(), signature, domain)).as("B's sig %s", v).isTrue();
      // the size is signed: one more quantum is another message
      ForcedTradeMessage other =
          new ForcedTradeMessage(
              m.accountA(),
              m.accountB(),
              m.market(),
              m.aBuys(),
              m.size() + 1,
              m.amount(),
              m.nonce());
      assertThat(other.verify(VERIFIER, b.publicKey(), signature, domain)).isFalse();

      Fr op =
          m.opHash(
              L1Address.fromHex(v.path("ownerA").asText()),
              Fr.fromHex(v.path("sigRX").asText()),
              Fr.fromHex(v.path("sigRY").asText()),
              Fr.fromHex(v.path("sigS").asText()));
      assertThat(op).as("op hash %s", v).isEqualTo(Fr.fromHex(v.path("opHash").asText()));
    }
  }
}
