package io.zkperp.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkperp.protocol.field.Fr;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.UnsatisfiableWitnessException;
import io.zkperp.state.RollupStateStore;
import io.zkperp.state.StateStoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine-versus-circuit differential test: random sequences of deposits, withdrawals, transfers
 * and forced withdrawals (paid or, above the balance, refused) — a third of them broken on purpose
 * (wrong nonce, overdraft, foreign signature or owner, unknown account) — are executed by the Java
 * batcher, which refuses the broken ones; every sealed batch goes through the native prover over
 * JNI, whose gnark solver must accept it. One batch is also fully proven and verified, and its
 * public input must equal the one Java computed.
 *
 * <p>{@code -Dzkperp.differential.batches=N} runs N batches (default 24; the tiny shape has 2 slots
 * per batch).
 */
class BatcherCircuitDifferentialIT {
  static BatchProver prover;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    prover = BatchProver.open("tiny", line -> System.out.println(line));
  }

  @AfterAll
  static void close() {
    prover.close();
  }

  @Test
  void everyBatchTheBatcherSealsSatisfiesTheCircuit() throws Exception {
    int batches = Integer.getInteger("zkperp.differential.batches", 24);
    Random rnd = new Random(Long.getLong("zkperp.differential.seed", 20261121L));
    int holders = 4;
    int[] accountOf = {3, 77, 4096, (1 << 24) - 1};
    long[] nonces = new long[holders];
    int accepted = 0;
    int refused = 0;
    Fr prio = Fr.ZERO;
    BatchWitness proven = null;
    try (RollupStateStore store = RollupStateStore.open(dir, StateStoreOptions.DEFAULT)) {
      for (int b = 0; b < batches; b++) {
        BatchWitness w;
        try (BatchExecutor ex = new BatchExecutor(store, prover.batchSize(), b + 1, prio)) {
          int attempts = 0;
          while (ex.size() < prover.batchSize() && attempts++ < 6 && rnd.nextInt(8) != 0) {
            int h = rnd.nextInt(holders);
            int acct = accountOf[h];
            boolean broken = rnd.nextInt(3) == 0;
            L2Transaction tx =
                switch (rnd.nextInt(4)) {
                  case 0 ->
                      TestAccounts.deposit(
                          acct, broken ? (h + 1) % holders : h, rnd.nextInt(1_000_000));
                  case 1 -> {
                    long amount = broken ? 1L << 40 : rnd.nextInt(2_000);
                    yield TestAccounts.withdrawal(acct, h, amount, nonces[h]);
                  }
                  case 2 ->
                      // broken: another owner; amounts above the balance are refused (paid 0),
                      // valid
                      new L2Transaction.ForcedWithdrawal(
                          acct,
                          TestAccounts.owner(broken ? (h + 1) % holders : h),
                          rnd.nextInt(2_000_000));
                  default -> {
                    int to = accountOf[rnd.nextInt(holders)];
                    long nonce = broken ? nonces[h] + 1 : nonces[h];
                    yield TestAccounts.transfer(acct, to, h, rnd.nextInt(5_000), nonce);
                  }
                };
            try {
              ex.apply(tx);
              accepted++;
              if (tx instanceof L2Transaction.Withdrawal || tx instanceof L2Transaction.Transfer) {
                nonces[h]++;
              }
            } catch (TransactionRejectedException e) {
              refused++;
            }
          }
          w = ex.seal();
        }
        prio = w.priorityHashAfter();
        prover.check(w.encode()); // throws if the circuit rejects the batch
        if (proven == null && w.slots().stream().anyMatch(s -> s.type() != TxType.NOOP)) {
          proven = w;
        }
      }
    }
    assertThat(accepted).isPositive();
    assertThat(refused).isPositive();
    assertThat(proven).isNotNull();
    BatchProof proof = prover.prove(proven.encode());
    assertThat(proof.publicInput()).isEqualTo(proven.publicInput());
    assertThat(prover.verify(proof)).isTrue();
  }

  @Test
  void aWitnessBrokenAfterSealingIsUnsatisfiableAtItsTransaction() throws Exception {
    try (RollupStateStore store = RollupStateStore.open(dir, StateStoreOptions.DEFAULT)) {
      BatchWitness w;
      try (BatchExecutor ex = new BatchExecutor(store, prover.batchSize(), 1, Fr.ZERO)) {
        ex.apply(TestAccounts.deposit(5, 1, 1_000));
        ex.apply(TestAccounts.withdrawal(5, 1, 400, 0));
        w = ex.seal();
      }
      List<BatchSlot> slots = new ArrayList<>(w.slots());
      BatchSlot s = slots.get(1);
      // Claim 600 instead of 400: the signature no longer covers the amount.
      slots.set(
          1,
          new BatchSlot(
              s.type(),
              s.accountA(),
              s.accountB(),
              600,
              s.nonce(),
              s.priorityOwner(),
              s.depositKeyX(),
              s.depositKeyY(),
              s.sigRX(),
              s.sigRY(),
              s.sigS(),
              s.a(),
              s.b(),
              s.ownerAfterA()));
      BatchWitness broken =
          new BatchWitness(
              w.batchNumber(),
              w.before(),
              w.after(),
              w.priorityHashBefore(),
              w.priorityHashAfter(),
              w.priorityCount(),
              slots);
      assertThatThrownBy(() -> prover.check(broken.encode()))
          .isInstanceOfSatisfying(
              UnsatisfiableWitnessException.class, e -> assertThat(e.txIndex()).isEqualTo(1))
          .hasMessageContaining("signature");
    }
  }
}
