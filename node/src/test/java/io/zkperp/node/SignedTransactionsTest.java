package io.zkperp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.batcher.SignatureBytes;
import io.zkperp.client.TransactionFormat;
import io.zkperp.client.ZkPerpClient;
import io.zkperp.gateway.GatewayConfig;
import io.zkperp.gateway.bridge.CommandOutcome;
import io.zkperp.node.v3.V3Shapes;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.prover.BatchProver;
import io.zkperp.sequencer.command.CreditL1Deposit;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake of signed withdrawals and transfers in both formats, on a real engine and journal (a
 * settling node without L1, its prover worker never started): a format v2 node says format 1 in
 * {@code perp_getDomain} and takes the client's format 1 withdrawal and transfer; {@link
 * Format2Transactions} over the same engine takes format 2 in its domain only and refuses, with a
 * typed reason and nothing journaled, a format 1 signature, a signature for another chain or
 * rollup, a wrong nonce, and any transfer when the shape has no transfer slot. "Nothing journaled"
 * is read from the journal sequence: the next accepted command is the one right after the last
 * accepted, and the account's nonce has not moved. The test's thread.
 */
class SignedTransactionsTest {
  private static final MessageDomain DOMAIN =
      MessageDomain.of(31_337, L1Address.fromHex("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"));
  private static final int ALICE = 1;
  private static final int BOB = 2;

  @TempDir Path dir;

  @Test
  void aFormatV2NodeTakesFormat1FromTheClientAndSaysSo() throws Exception {
    try (RollupNode node = RollupNode.open(config())) {
      long seq = credit(node, 0, ALICE);
      credit(node, 1, BOB);
      ZkPerpClient client =
          new ZkPerpClient(URI.create("http://127.0.0.1:" + node.gateway().port() + "/"));
      assertThat(client.transactionFormat()).isEqualTo(TransactionFormat.FORMAT_1);
      assertThat(
              client.withdraw(key(ALICE), ALICE, owner(ALICE), 100, 0).path("journalSeq").asLong())
          .isEqualTo(seq + 2);
      assertThat(client.transfer(key(ALICE), ALICE, BOB, 5, 1).path("journalSeq").asLong())
          .isEqualTo(seq + 3);
      // the format 2 signature of the next withdrawal is not what this node settles
      byte[] format2 =
          TransactionFormat.FORMAT_2.signWithdrawal(
              key(ALICE), MessageDomain.DEMO, ALICE, owner(ALICE), 100, 2);
      assertThatThrownBy(
              () ->
                  node.submitWithdrawal(new L2Transaction.Withdrawal(ALICE, 100, 2, sig(format2))))
          .isInstanceOf(NodeRejectedException.class)
          .extracting(e -> ((NodeRejectedException) e).reason())
          .isEqualTo(NodeRejectedException.Reason.BAD_SIGNATURE);
      assertThat(node.accounts().account(ALICE).nextNonce()).isEqualTo(2);
    }
  }

  @Test
  void format2TakesOnlyItsDomainAndRefusesTransfersWithoutASlot() throws Exception {
    try (RollupNode node = RollupNode.open(config())) {
      credit(node, 0, ALICE);
      long last = credit(node, 1, BOB);
      SignedTransactions noTransferSlot =
          attached(node, new Format2Transactions(DOMAIN, "a-shape-without-transfers", 0));
      assertThat(noTransferSlot.format().version()).isEqualTo(2);

      // refused, each with its reason: format 1, another chain, another rollup, a wrong nonce
      byte[] format1 =
          TransactionFormat.FORMAT_1.signWithdrawal(
              key(ALICE), DOMAIN, ALICE, owner(ALICE), 100, 0);
      MessageDomain otherChain = MessageDomain.of(1, DOMAIN.rollupAddress());
      MessageDomain otherRollup =
          MessageDomain.of(
              DOMAIN.chainId(), L1Address.fromHex("0x00000000000000000000000000000000000000aa"));
      for (byte[] bad :
          List.of(
              format1,
              TransactionFormat.FORMAT_2.signWithdrawal(
                  key(ALICE), otherChain, ALICE, owner(ALICE), 100, 0),
              TransactionFormat.FORMAT_2.signWithdrawal(
                  key(ALICE), otherRollup, ALICE, owner(ALICE), 100, 0),
              TransactionFormat.FORMAT_2.signWithdrawal(
                  key(BOB), DOMAIN, ALICE, owner(ALICE), 100, 0))) {
        assertRefused(
            () -> noTransferSlot.withdraw(new L2Transaction.Withdrawal(ALICE, 100, 0, sig(bad))),
            NodeRejectedException.Reason.BAD_SIGNATURE,
            "format 2 for chain 31337");
      }
      byte[] wrongNonce =
          TransactionFormat.FORMAT_2.signWithdrawal(
              key(ALICE), DOMAIN, ALICE, owner(ALICE), 100, 1);
      assertRefused(
          () ->
              noTransferSlot.withdraw(new L2Transaction.Withdrawal(ALICE, 100, 1, sig(wrongNonce))),
          NodeRejectedException.Reason.WRONG_NONCE,
          "expects nonce 0");
      // a well-signed transfer, but the shape could never settle it
      byte[] transfer =
          TransactionFormat.FORMAT_2.signTransfer(key(ALICE), DOMAIN, ALICE, BOB, 5, 0);
      assertRefused(
          () ->
              noTransferSlot.transfer(new L2Transaction.Transfer(ALICE, BOB, 5, 0, sig(transfer))),
          NodeRejectedException.Reason.NOT_IN_BATCH_SHAPE,
          "a-shape-without-transfers has no transfer slot");
      assertThat(node.accounts().account(ALICE).nextNonce()).as("nothing journaled").isZero();

      // format 2 in the domain: accepted, the next journal record after the last credit
      byte[] good =
          TransactionFormat.FORMAT_2.signWithdrawal(
              key(ALICE), DOMAIN, ALICE, owner(ALICE), 100, 0);
      assertThat(
              accepted(
                  noTransferSlot.withdraw(new L2Transaction.Withdrawal(ALICE, 100, 0, sig(good)))))
          .as("nothing was journaled by the refusals")
          .isEqualTo(last + 1);
      // a shape with transfer slots (read from the shape, here v3-devnet's) takes the transfer
      int slots = V3Shapes.shape("v3-devnet").transfers();
      assertThat(slots).isPositive();
      SignedTransactions withSlots =
          attached(node, new Format2Transactions(DOMAIN, "v3-devnet", slots));
      byte[] transfer1 =
          TransactionFormat.FORMAT_2.signTransfer(key(ALICE), DOMAIN, ALICE, BOB, 5, 1);
      assertThat(
              accepted(
                  withSlots.transfer(new L2Transaction.Transfer(ALICE, BOB, 5, 1, sig(transfer1)))))
          .isEqualTo(last + 2);
    }
  }

  private static void assertRefused(
      ThrowingCall call, NodeRejectedException.Reason reason, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(NodeRejectedException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((NodeRejectedException) e).reason())
        .isEqualTo(reason);
  }

  /** A submission that may throw. */
  private interface ThrowingCall {
    void run() throws Exception;
  }

  private static SignedTransactions attached(RollupNode node, TransactionSignatureFormat format) {
    SignedTransactions s = new SignedTransactions(node.accounts(), format);
    s.attach(node.gateway().bridge());
    return s;
  }

  private static long accepted(CommandOutcome o) {
    assertThat(o).isInstanceOf(CommandOutcome.Accepted.class);
    return ((CommandOutcome.Accepted) o).journalSeq();
  }

  private static SignatureBytes sig(byte[] bytes) {
    return new SignatureBytes(bytes);
  }

  private static EdDsaPrivateKey key(int account) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x70 + account));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  private static L1Address owner(int account) {
    byte[] owner = new byte[20];
    owner[19] = (byte) account;
    return L1Address.of(owner);
  }

  /** Credits the account as the deposit feeder does for an L1 deposit; its journal record. */
  private static long credit(RollupNode node, long index, int account) throws Exception {
    EdDsaPrivateKey k = key(account);
    CreditL1Deposit c =
        new CreditL1Deposit(
            index,
            account,
            owner(account),
            k.publicKey().point().x(),
            k.publicKey().point().y(),
            1_000_000L);
    return accepted(node.gateway().bridge().submit(c).get(10, TimeUnit.SECONDS));
  }

  private NodeConfig config() {
    return new NodeConfig(
        dir.resolve("node"),
        GatewayConfig.defaults(0),
        BatchProver.batchSize(NodeItSupport.SHAPE),
        Duration.ofMillis(200),
        // no proof is needed here: a worker that cannot start
        NodeItSupport.worker(dir).withMainClass("io.zkperp.node.NoSuchProverWorker", List.of()),
        null);
  }
}
