package io.zkperp.sequencer.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.message.CancelAllMessage;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.journal.JournalReader;
import io.zkperp.sequencer.journal.JournalWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel's authorisation survives the journal: replay reads back a signature that verifies. */
class SignedCancelJournalTest {
  @TempDir Path dir;

  @Test
  void aJournaledCancelCarriesASignatureThatVerifies() throws IOException {
    EdDsaPrivateKey key = EdDsaPrivateKey.fromSeed(new byte[32]);
    long validUntil = 1_900_000_000L;
    byte[] cancelSig =
        new CancelOrderMessage(7, false, 42, validUntil).sign(key, MessageDomain.DEMO);
    byte[] allSig = new CancelAllMessage(7, 3, validUntil).sign(key, MessageDomain.DEMO);
    Path file = dir.resolve("journal.log");
    try (JournalWriter w = JournalWriter.open(file)) {
      w.append(new CancelOrder(7, false, 42, validUntil, cancelSig));
      w.append(new CancelAll(7, 3, validUntil, allSig));
      w.commit();
    }
    List<Command> replayed = new ArrayList<>();
    JournalReader.read(file, (seq, c) -> replayed.add(c));
    assertThat(replayed).hasSize(2);
    JavaSignatureVerifier verifier = new JavaSignatureVerifier(1);

    CancelOrder c = (CancelOrder) replayed.get(0);
    assertThat(c.signed()).isTrue();
    CancelOrderMessage cm =
        new CancelOrderMessage(c.account(), c.byClientOrderId(), c.id(), c.validUntil());
    assertThat(cm.verify(verifier, key.publicKey(), c.signature(), MessageDomain.DEMO)).isTrue();
    // the journaled fields are the signed ones: another id or validity does not verify
    assertThat(
            new CancelOrderMessage(7, false, 43, validUntil)
                .verify(verifier, key.publicKey(), c.signature(), MessageDomain.DEMO))
        .isFalse();

    CancelAll a = (CancelAll) replayed.get(1);
    assertThat(a.signed()).isTrue();
    assertThat(
            new CancelAllMessage(a.account(), a.market(), a.validUntil())
                .verify(verifier, key.publicKey(), a.signature(), MessageDomain.DEMO))
        .isTrue();
    assertThat(
            new CancelAllMessage(a.account(), a.market(), a.validUntil() + 1)
                .verify(verifier, key.publicKey(), a.signature(), MessageDomain.DEMO))
        .isFalse();
  }
}
