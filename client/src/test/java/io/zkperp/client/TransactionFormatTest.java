package io.zkperp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client's withdrawal and transfer signatures with real keys: format 2 verifies with the
 * protocol's {@link WithdrawalMessage#verify} / {@link TransferMessage#verify} in its domain only
 * and is not a format 1 signature; format 1 verifies as the batcher's {@link TransactionMessages}
 * and not as format 2; on every golden vector of {@code test-vectors/collateral-messages.json}
 * (written by gnark-crypto) the client signs to the vector's bytes.
 */
class TransactionFormatTest {
  private static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(2);
  private static final MessageDomain DOMAIN =
      MessageDomain.of(31_337, L1Address.fromHex("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"));
  private static final MessageDomain OTHER_CHAIN = MessageDomain.of(1, DOMAIN.rollupAddress());
  private static final L1Address OWNER =
      L1Address.fromHex("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
  private static final EdDsaPrivateKey KEY = ZkPerpClient.demoKey(7);
  private static final EdDsaPublicKey PUB = KEY.publicKey();

  @Test
  void format2WithdrawalVerifiesInItsDomainOnly() {
    byte[] sig = TransactionFormat.FORMAT_2.signWithdrawal(KEY, DOMAIN, 5, OWNER, 250_000, 3);
    WithdrawalMessage m = new WithdrawalMessage(5, OWNER, 250_000, 3);
    assertThat(m.verify(VERIFIER, PUB, sig, DOMAIN)).isTrue();
    assertThat(m.verify(VERIFIER, PUB, sig, OTHER_CHAIN)).isFalse();
    assertThat(new WithdrawalMessage(5, OWNER, 250_001, 3).verify(VERIFIER, PUB, sig, DOMAIN))
        .isFalse();
    assertThat(EdDsa.verify(PUB, sig, TransactionMessages.withdrawal(5, OWNER, 250_000, 3)))
        .as("not a format 1 signature")
        .isFalse();
  }

  @Test
  void format2TransferVerifiesInItsDomainOnly() {
    byte[] sig = TransactionFormat.FORMAT_2.signTransfer(KEY, DOMAIN, 5, 6, 40, 0);
    TransferMessage m = new TransferMessage(5, 6, 40, 0);
    assertThat(m.verify(VERIFIER, PUB, sig, DOMAIN)).isTrue();
    assertThat(m.verify(VERIFIER, PUB, sig, OTHER_CHAIN)).isFalse();
    assertThat(new TransferMessage(6, 5, 40, 0).verify(VERIFIER, PUB, sig, DOMAIN)).isFalse();
    assertThat(EdDsa.verify(PUB, sig, TransactionMessages.transfer(5, 6, 40, 0))).isFalse();
  }

  @Test
  void format1IsTheBatchersMessageWithoutADomain() {
    byte[] w = TransactionFormat.FORMAT_1.signWithdrawal(KEY, DOMAIN, 5, OWNER, 250_000, 3);
    assertThat(EdDsa.verify(PUB, w, TransactionMessages.withdrawal(5, OWNER, 250_000, 3))).isTrue();
    assertThat(new WithdrawalMessage(5, OWNER, 250_000, 3).verify(VERIFIER, PUB, w, DOMAIN))
        .isFalse();
    assertThat(TransactionFormat.FORMAT_1.signWithdrawal(KEY, OTHER_CHAIN, 5, OWNER, 250_000, 3))
        .as("the domain is not signed in format 1")
        .isEqualTo(w);
    byte[] t = TransactionFormat.FORMAT_1.signTransfer(KEY, DOMAIN, 5, 6, 40, 0);
    assertThat(EdDsa.verify(PUB, t, TransactionMessages.transfer(5, 6, 40, 0))).isTrue();
  }

  @Test
  void versionsRoundTripAndAnUnknownOneIsRefused() {
    for (TransactionFormat f : TransactionFormat.values()) {
      assertThat(TransactionFormat.of(f.version())).isEqualTo(f);
    }
    assertThat(TransactionFormat.FORMAT_2.version()).isEqualTo(MessageDomain.FORMAT_VERSION);
    assertThatThrownBy(() -> TransactionFormat.of(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 3");
  }

  @Test
  void theClientSignsEveryGoldenVectorToItsBytes() throws Exception {
    JsonNode file =
        new ObjectMapper()
            .readTree(
                Files.readString(repoRoot().resolve("test-vectors/collateral-messages.json")));
    List<MessageDomain> domains = new ArrayList<>();
    for (JsonNode d : file.path("domains")) {
      domains.add(
          MessageDomain.of(
              Long.parseUnsignedLong(d.path("chainId").asText()),
              L1Address.fromHex(d.path("rollupAddress").asText())));
    }
    int checked = 0;
    for (JsonNode v : file.path("withdrawals")) {
      byte[] sig =
          TransactionFormat.FORMAT_2.signWithdrawal(
              key(v),
              domains.get(v.path("domain").asInt()),
              (int) v.path("account").asLong(),
              L1Address.fromHex(v.path("l1Owner").asText()),
              Long.parseUnsignedLong(v.path("amount").asText()),
              Long.parseUnsignedLong(v.path("nonce").asText()));
      assertThat(sig).as("withdrawal %s", v).isEqualTo(hex(v.path("signature")));
      checked++;
    }
    for (JsonNode v : file.path("transfers")) {
      byte[] sig =
          TransactionFormat.FORMAT_2.signTransfer(
              key(v),
              domains.get(v.path("domain").asInt()),
              (int) v.path("account").asLong(),
              (int) v.path("receiver").asLong(),
              Long.parseUnsignedLong(v.path("amount").asText()),
              Long.parseUnsignedLong(v.path("nonce").asText()));
      assertThat(sig).as("transfer %s", v).isEqualTo(hex(v.path("signature")));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(20);
  }

  private static EdDsaPrivateKey key(JsonNode v) {
    return EdDsaPrivateKey.fromSeed(hex(v.path("keySeed")));
  }

  private static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText().substring(2));
  }

  /** The nearest directory up from here that holds test-vectors/. */
  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-vectors"))) {
      p = p.getParent();
    }
    assertThat(p).as("test-vectors/ above the working directory").isNotNull();
    return p;
  }
}
