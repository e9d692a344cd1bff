package io.zkperp.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.vectors.TestVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The domain-separated withdrawal and transfer messages written by gnark-crypto ({@code
 * test-vectors/collateral-messages.json}): Java computes the same separators, packed elements and
 * hashes, signs to the same bytes, verifies every signature, and refuses it for another domain,
 * another value of each signed field, another message type, and the format-1 message.
 */
class CollateralMessageVectorsTest {
  private static final JsonNode FILE = TestVectors.load("collateral-messages.json");
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(8);
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(JsonNode n) {
    return HEX.parseHex(n.asText().substring(2));
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

  private static WithdrawalMessage withdrawal(JsonNode v) {
    return new WithdrawalMessage(
        (int) v.path("account").asLong(),
        L1Address.fromHex(v.path("l1Owner").asText()),
        u64(v.path("amount")),
        u64(v.path("nonce")));
  }

  private static TransferMessage transfer(JsonNode v) {
    return new TransferMessage(
        (int) v.path("account").asLong(),
        (int) v.path("receiver").asLong(),
        u64(v.path("amount")),
        u64(v.path("nonce")));
  }

  /** Packing, hash, key, verification and Java's own signature of one vector message. */
  private static void check(JsonNode v, Fr[] packed, Fr hash) {
    List<Fr> expected = new ArrayList<>();
    v.path("packed").forEach(p -> expected.add(Fr.fromHex(p.asText())));
    assertThat(packed).as("packed %s", v).containsExactlyElementsOf(expected);
    assertThat(hash).as("hash %s", v).isEqualTo(Fr.fromHex(v.path("hash").asText()));
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed")));
    assertThat(key.publicKey().encode()).isEqualTo(hex(v.path("publicKey")));
    byte[] signature = hex(v.path("signature"));
    assertThat(VERIFIER.verify(key.publicKey(), signature, hash)).as("signature %s", v).isTrue();
    assertThat(EdDsa.sign(key, hash).encode()).isEqualTo(signature);
  }

  @Test
  void separatorsMatch() {
    List<MessageDomain> domains = domains();
    assertThat(domains).hasSize(2);
    for (int i = 0; i < domains.size(); i++) {
      JsonNode d = FILE.path("domains").get(i);
      assertThat(domains.get(i).separator(MessageType.WITHDRAWAL))
          .isEqualTo(Fr.fromHex(d.path("withdrawalSeparator").asText()));
      assertThat(domains.get(i).separator(MessageType.TRANSFER))
          .isEqualTo(Fr.fromHex(d.path("transferSeparator").asText()));
    }
    assertThat(FILE.path("formatVersion").asInt()).isEqualTo(MessageDomain.FORMAT_VERSION);
  }

  @Test
  void everyWithdrawalMatchesAndNoChangedFieldVerifies() {
    List<MessageDomain> domains = domains();
    Set<Integer> seen = new HashSet<>();
    assertThat(FILE.path("withdrawals")).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode v : FILE.path("withdrawals")) {
      WithdrawalMessage w = withdrawal(v);
      int di = v.path("domain").asInt();
      seen.add(di);
      MessageDomain domain = domains.get(di);
      check(v, w.packed(), w.hash(domain));
      EdDsaPublicKey pub = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed"))).publicKey();
      byte[] sig = hex(v.path("signature"));
      assertThat(w.verify(VERIFIER, pub, sig, domain)).isTrue();
      byte[] owner = w.l1Owner().toBytes();
      owner[19] ^= 1;
      for (WithdrawalMessage changed :
          List.of(
              new WithdrawalMessage(w.account() + 1, w.l1Owner(), w.amount(), w.nonce()),
              new WithdrawalMessage(w.account(), L1Address.of(owner), w.amount(), w.nonce()),
              new WithdrawalMessage(w.account(), w.l1Owner(), w.amount() + 1, w.nonce()),
              new WithdrawalMessage(w.account(), w.l1Owner(), w.amount(), w.nonce() + 1))) {
        assertThat(changed.verify(VERIFIER, pub, sig, domain)).as("changed %s", changed).isFalse();
      }
      // another deployment, another type over the same elements, the format-1 message
      assertThat(w.verify(VERIFIER, pub, sig, domains.get(1 - di))).isFalse();
      assertThat(VERIFIER.verify(pub, sig, domain.hash(MessageType.TRANSFER, w.packed())))
          .isFalse();
      assertThat(
              VERIFIER.verify(
                  pub,
                  sig,
                  TransactionMessages.withdrawal(w.account(), w.l1Owner(), w.amount(), w.nonce())))
          .isFalse();
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void everyTransferMatchesAndNoChangedFieldVerifies() {
    List<MessageDomain> domains = domains();
    Set<Integer> seen = new HashSet<>();
    assertThat(FILE.path("transfers")).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode v : FILE.path("transfers")) {
      TransferMessage t = transfer(v);
      int di = v.path("domain").asInt();
      seen.add(di);
      MessageDomain domain = domains.get(di);
      check(v, t.packed(), t.hash(domain));
      EdDsaPublicKey pub = EdDsaPrivateKey.fromSeed(hex(v.path("keySeed"))).publicKey();
      byte[] sig = hex(v.path("signature"));
      assertThat(t.verify(VERIFIER, pub, sig, domain)).isTrue();
      for (TransferMessage changed :
          List.of(
              new TransferMessage(t.account() + 1, t.receiver(), t.amount(), t.nonce()),
              new TransferMessage(t.account(), t.receiver() + 1, t.amount(), t.nonce()),
              new TransferMessage(t.account(), t.receiver(), t.amount() + 1, t.nonce()),
              new TransferMessage(t.account(), t.receiver(), t.amount(), t.nonce() + 1))) {
        assertThat(changed.verify(VERIFIER, pub, sig, domain)).as("changed %s", changed).isFalse();
      }
      assertThat(t.verify(VERIFIER, pub, sig, domains.get(1 - di))).isFalse();
      assertThat(VERIFIER.verify(pub, sig, domain.hash(MessageType.CANCEL_ALL, t.packed())))
          .isFalse();
      assertThat(
              VERIFIER.verify(
                  pub,
                  sig,
                  TransactionMessages.transfer(t.account(), t.receiver(), t.amount(), t.nonce())))
          .isFalse();
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1);
  }
}
