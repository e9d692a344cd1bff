package io.zkperp.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The golden signed messages written by gnark-crypto ({@code test-vectors/signed-messages.json}):
 * Java computes the same separators, packed elements and hashes, signs to the same bytes (the
 * signatures are deterministic), verifies every signature, and a changed field changes the hash.
 */
class SignedMessageVectorsTest {
  private static final JsonNode FILE = TestVectors.load("signed-messages.json");
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(8);
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(JsonNode n) {
    String s = n.asText();
    return HEX.parseHex(s.substring(2));
  }

  private static Fr fr(JsonNode n) {
    return Fr.fromHex(n.asText());
  }

  private static long u64(JsonNode n) {
    return Long.parseUnsignedLong(n.asText());
  }

  private static List<MessageDomain> domains() {
    List<MessageDomain> out = new ArrayList<>();
    for (JsonNode d : FILE.path("domains")) {
      out.add(
          MessageDomain.of(
              u64(d.path("chainId")), L1Address.fromHex(d.path("rollupAddress").asText())));
    }
    return out;
  }

  private static OrderMessage order(JsonNode o) {
    return new OrderMessage(
        (int) o.path("account").asLong(),
        o.path("market").asInt(),
        OrderMessage.Side.valueOf(o.path("side").asText()),
        OrderMessage.Type.valueOf(o.path("type").asText()),
        OrderMessage.TimeInForce.valueOf(o.path("timeInForce").asText()),
        o.path("reduceOnly").asBoolean(),
        (int) o.path("clientOrderId").asLong(),
        u64(o.path("size")),
        u64(o.path("price")),
        o.path("feeCap").asLong(),
        u64(o.path("expiry")),
        u64(o.path("nonce")),
        OrderMessage.Trigger.valueOf(o.path("trigger").asText()),
        u64(o.path("triggerPrice")));
  }

  /** Checks packing, hash, key, verification and Java's own signature of one vector message. */
  private static void check(JsonNode v, Fr[] packed, Fr hash) {
    List<Fr> expectedPacked = new ArrayList<>();
    v.path("packed").forEach(p -> expectedPacked.add(fr(p)));
    assertThat(packed).as("packed %s", v).containsExactlyElementsOf(expectedPacked);
    assertThat(hash).as("hash %s", v).isEqualTo(fr(v.path("hash")));
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed")));
    EdDsaPublicKey pub = key.publicKey();
    assertThat(pub.encode()).isEqualTo(hex(v.path("publicKey")));
    byte[] signature = hex(v.path("signature"));
    assertThat(VERIFIER.verify(pub, signature, hash)).as("signature %s", v).isTrue();
    assertThat(io.zkperp.protocol.eddsa.EdDsa.sign(key, hash).encode()).isEqualTo(signature);
  }

  @Test
  void formatAndSeparatorsMatch() {
    assertThat(FILE.path("formatVersion").asInt()).isEqualTo(MessageDomain.FORMAT_VERSION);
    List<MessageDomain> domains = domains();
    assertThat(domains).hasSize(2);
    assertThat(domains.get(0)).isEqualTo(MessageDomain.DEMO);
    for (int i = 0; i < domains.size(); i++) {
      JsonNode s = FILE.path("domains").get(i).path("separators");
      MessageDomain d = domains.get(i);
      assertThat(d.separator(MessageType.ORDER)).isEqualTo(fr(s.path("order")));
      assertThat(d.separator(MessageType.CANCEL_ORDER)).isEqualTo(fr(s.path("cancelOrder")));
      assertThat(d.separator(MessageType.CANCEL_ALL)).isEqualTo(fr(s.path("cancelAll")));
      assertThat(d.separator(MessageType.ORACLE_PRICE)).isEqualTo(fr(s.path("oraclePrice")));
      assertThat(d.separator(MessageType.READ_GRANT)).isEqualTo(fr(s.path("readGrant")));
    }
  }

  @Test
  void everyOrderMatchesAndCoversEveryCombination() {
    List<MessageDomain> domains = domains();
    java.util.Set<Integer> flags = new java.util.HashSet<>();
    for (JsonNode v : FILE.path("orders")) {
      OrderMessage o = order(v);
      assertThat(o.flags()).isEqualTo(v.path("flags").asInt());
      flags.add(o.flags() | v.path("domain").asInt() << 16);
      check(v, o.packed(), o.hash(domains.get(v.path("domain").asInt())));
    }
    // 2 sides × 2 types × 4 TIFs × 2 reduce-only × 3 triggers, in both domains
    assertThat(flags).hasSize(2 * 2 * 4 * 2 * 3 * 2);
  }

  @Test
  void changingOneOrderFieldChangesTheHashAndVoidsTheSignature() {
    JsonNode v = FILE.path("orders").get(1);
    OrderMessage o = order(v);
    MessageDomain domain = domains().get(v.path("domain").asInt());
    byte[] signature = hex(v.path("signature"));
    EdDsaPublicKey pub = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed"))).publicKey();
    OrderMessage changed =
        new OrderMessage(
            o.account(),
            o.market(),
            o.side(),
            o.type(),
            o.timeInForce(),
            o.reduceOnly(),
            o.clientOrderId(),
            o.size(),
            o.price() + 1, // one quantum
            o.feeCap(),
            o.expiry(),
            o.nonce(),
            o.trigger(),
            o.triggerPrice());
    assertThat(changed.hash(domain)).isNotEqualTo(fr(v.path("hash")));
    assertThat(changed.verify(VERIFIER, pub, signature, domain)).isFalse();
    assertThat(o.verify(VERIFIER, pub, signature, domain)).isTrue();
  }

  @Test
  void everyCancelCancelAllAndPriceReportMatches() {
    List<MessageDomain> domains = domains();
    assertThat(FILE.path("cancelOrders")).isNotEmpty();
    for (JsonNode v : FILE.path("cancelOrders")) {
      CancelOrderMessage c =
          new CancelOrderMessage(
              (int) v.path("account").asLong(),
              v.path("byClientOrderId").asBoolean(),
              u64(v.path("id")),
              u64(v.path("validUntil")));
      check(v, c.packed(), c.hash(domains.get(v.path("domain").asInt())));
    }
    assertThat(FILE.path("cancelAlls")).isNotEmpty();
    for (JsonNode v : FILE.path("cancelAlls")) {
      CancelAllMessage c =
          new CancelAllMessage(
              (int) v.path("account").asLong(),
              v.path("market").asInt(),
              u64(v.path("validUntil")));
      check(v, c.packed(), c.hash(domains.get(v.path("domain").asInt())));
    }
    assertThat(FILE.path("oraclePrices")).isNotEmpty();
    for (JsonNode v : FILE.path("oraclePrices")) {
      OraclePriceMessage m =
          new OraclePriceMessage(
              (int) v.path("market").asLong(), u64(v.path("price")), u64(v.path("timestamp")));
      check(v, m.packed(), m.hash(domains.get(v.path("domain").asInt())));
    }
  }

  @Test
  void everyReadGrantMatchesAndAGrantIsNoOtherMessage() {
    List<MessageDomain> domains = domains();
    assertThat(FILE.path("readGrants")).hasSizeGreaterThanOrEqualTo(8);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (JsonNode v : FILE.path("readGrants")) {
      ReadGrantMessage g =
          new ReadGrantMessage((int) v.path("account").asLong(), u64(v.path("validUntil")));
      MessageDomain domain = domains.get(v.path("domain").asInt());
      seen.add(v.path("domain").asInt());
      check(v, g.packed(), g.hash(domain));
      EdDsaPublicKey pub = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed"))).publicKey();
      byte[] signature = hex(v.path("signature"));
      assertThat(g.verify(VERIFIER, pub, signature, domain)).isTrue();
      // the same grant in the other domain, for the next second, or as a cancel-all: no signature
      MessageDomain other = domains.get(1 - v.path("domain").asInt());
      assertThat(g.verify(VERIFIER, pub, signature, other)).isFalse();
      assertThat(
              new ReadGrantMessage(g.account(), g.validUntil() + 1)
                  .verify(VERIFIER, pub, signature, domain))
          .isFalse();
      assertThat(VERIFIER.verify(pub, signature, domain.hash(MessageType.CANCEL_ALL, g.packed())))
          .isFalse();
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1);
  }
}
