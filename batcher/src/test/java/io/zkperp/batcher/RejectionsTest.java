package io.zkperp.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateStoreOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rejection reason: the transaction is refused with its typed reason, and neither the batch
 * nor the state changes (the same valid transaction still applies afterwards).
 */
class RejectionsTest {
  @TempDir Path dir;
  RollupStateStore store;
  BatchExecutor ex;

  @BeforeEach
  void setUp() throws Exception {
    store = RollupStateStore.open(dir, StateStoreOptions.DEFAULT);
    try (BatchExecutor genesis = new BatchExecutor(store, 4, 1, Fr.ZERO)) {
      genesis.apply(TestAccounts.deposit(5, 1, 1_000));
      genesis.apply(TestAccounts.deposit(9, 2, Long.MAX_VALUE - 10));
      genesis.seal();
    }
    ex = new BatchExecutor(store, 2, 2, Fr.ZERO);
  }

  @org.junit.jupiter.api.AfterEach
  void tearDown() {
    ex.close();
    store.close();
  }

  private void refused(L2Transaction tx, RejectionReason reason, String messagePart) {
    Fr rootBefore = store.roots().stateRoot();
    int sizeBefore = ex.size();
    Fr prio = ex.priorityHash();
    var account5 = ex.account(5);
    var account9 = ex.account(9);
    assertThatThrownBy(() -> ex.apply(tx))
        .isInstanceOfSatisfying(
            TransactionRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
    assertThat(ex.size()).isEqualTo(sizeBefore);
    assertThat(ex.priorityHash()).isEqualTo(prio);
    assertThat(ex.account(5)).isEqualTo(account5);
    assertThat(ex.account(9)).isEqualTo(account9);
    assertThat(store.roots().stateRoot()).isEqualTo(rootBefore);
  }

  @Test
  void everyRuleIsEnforcedAndChangesNothing() throws Exception {
    refused(
        TestAccounts.deposit(1 << 24, 1, 1), RejectionReason.ACCOUNT_OUT_OF_RANGE, "0 … 16777215");
    refused(TestAccounts.deposit(5, 3, 1), RejectionReason.BINDING_MISMATCH, "bound to owner");
    refused(TestAccounts.deposit(9, 2, 11), RejectionReason.COLLATERAL_OVERFLOW, "exceeds");
    refused(TestAccounts.withdrawal(5, 1, -1, 0), RejectionReason.NEGATIVE_AMOUNT, "negative");
    refused(TestAccounts.withdrawal(6, 1, 1, 0), RejectionReason.UNKNOWN_ACCOUNT, "6");
    refused(TestAccounts.withdrawal(5, 1, 1, 1), RejectionReason.BAD_NONCE, "exactly nonce 0");
    refused(TestAccounts.withdrawal(5, 2, 1, 0), RejectionReason.BAD_SIGNATURE, "not a signature");
    refused(
        new L2Transaction.Withdrawal(5, 1, 0, new SignatureBytes(new byte[64])),
        RejectionReason.BAD_SIGNATURE,
        "does not decode");
    refused(
        TestAccounts.withdrawal(5, 1, 1_001, 0),
        RejectionReason.INSUFFICIENT_COLLATERAL,
        "at most 1000");
    refused(TestAccounts.transfer(5, 9, 1, 11, 0), RejectionReason.COLLATERAL_OVERFLOW, "receiver");
    refused(TestAccounts.transfer(5, 7, 1, 1, 0), RejectionReason.UNKNOWN_ACCOUNT, "receiver 7");
    refused(
        new L2Transaction.ForcedWithdrawal(5, TestAccounts.owner(2), 1),
        RejectionReason.BINDING_MISMATCH,
        "the forced withdrawal names");
    refused(
        new L2Transaction.ForcedWithdrawal(6, TestAccounts.owner(1), 1),
        RejectionReason.UNKNOWN_ACCOUNT,
        "6");
    refused(
        new L2Transaction.ForcedWithdrawal(5, TestAccounts.owner(1), -1),
        RejectionReason.NEGATIVE_AMOUNT,
        "negative");
    // A signature over another amount does not authorise this one.
    L2Transaction.Transfer signed = TestAccounts.transfer(5, 9, 1, 10, 0);
    refused(
        new L2Transaction.Transfer(5, 9, 11, 0, signed.signature()),
        RejectionReason.BAD_SIGNATURE,
        "not a signature");

    // The batch is untouched: the valid transactions still apply, then the batch is full.
    ex.apply(signed);
    ex.apply(TestAccounts.withdrawal(5, 1, 990, 1));
    refused(TestAccounts.deposit(5, 1, 1), RejectionReason.BATCH_FULL, "seal it");
    BatchWitness w = ex.seal();
    assertThat(w.slots())
        .extracting(BatchSlot::type)
        .containsExactly(TxType.TRANSFER, TxType.WITHDRAWAL);
    assertThat(store.roots().stateRoot()).isEqualTo(w.after().stateRoot());
  }

  @Test
  void forcedWithdrawalPaysWhatTheAccountHoldsAndRefusesMore() throws Exception {
    // Account 5 holds 1,000: a request for 1,001 is refused (paid 0), one for 1,000 empties it.
    Fr prio = ex.priorityHash();
    ex.apply(new L2Transaction.ForcedWithdrawal(5, TestAccounts.owner(1), 1_001));
    assertThat(ex.account(5).orElseThrow().collateral()).isEqualTo(1_000);
    ex.apply(new L2Transaction.ForcedWithdrawal(5, TestAccounts.owner(1), 1_000));
    assertThat(ex.account(5).orElseThrow().collateral()).isZero();
    assertThat(ex.account(5).orElseThrow().nonce()).isZero(); // unsigned: the nonce is untouched
    // Both requests are consumed from the priority queue, in order.
    Fr expected =
        TransactionMessages.nextPriorityHash(
            TransactionMessages.nextPriorityHash(
                prio, TransactionMessages.forcedWithdrawalHash(5, TestAccounts.owner(1), 1_001)),
            TransactionMessages.forcedWithdrawalHash(5, TestAccounts.owner(1), 1_000));
    BatchWitness w = ex.seal();
    assertThat(w.priorityHashAfter()).isEqualTo(expected);
    assertThat(w.priorityCount()).isEqualTo(2);
    // The chunks carry what was paid: 0, then 1,000, each to the owner.
    byte[] c0 = BatchWitness.chunk(w.slots().get(0));
    byte[] c1 = BatchWitness.chunk(w.slots().get(1));
    assertThat(java.nio.ByteBuffer.wrap(c0, 9, 8).getLong()).isZero();
    assertThat(java.nio.ByteBuffer.wrap(c1, 9, 8).getLong()).isEqualTo(1_000);
    assertThat(java.util.Arrays.copyOfRange(c1, 17, 37)).isEqualTo(TestAccounts.owner(1).toBytes());
  }

  @Test
  void replayedNonceIsRefusedInALaterBatch() throws Exception {
    L2Transaction.Withdrawal w = TestAccounts.withdrawal(5, 1, 10, 0);
    ex.apply(w);
    ex.seal();
    ex = new BatchExecutor(store, 2, 3, Fr.ZERO);
    refused2(w);
  }

  private void refused2(L2Transaction tx) {
    assertThatThrownBy(() -> ex.apply(tx))
        .isInstanceOfSatisfying(
            TransactionRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_NONCE))
        .hasMessageContaining("already used");
  }

  @Test
  void abortedBatchLeavesTheStateAsItWas() throws Exception {
    Fr root = store.roots().stateRoot();
    ex.apply(TestAccounts.withdrawal(5, 1, 10, 0));
    ex.close();
    assertThat(store.roots().stateRoot()).isEqualTo(root);
    ex = new BatchExecutor(store, 2, 2, Fr.ZERO);
    assertThat(ex.account(5).orElseThrow().collateral()).isEqualTo(1_000);
  }
}
