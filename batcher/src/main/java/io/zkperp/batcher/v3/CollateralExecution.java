package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.v2.StateBatchV2;
import java.util.Objects;

/**
 * Executes the collateral transactions — deposit, withdrawal, transfer, forced withdrawal — on a
 * layout-v2 state batch exactly as the Go references of {@code collateralstep} do
 * (docs/batch-format.md, "Format v3 (draft): collateral steps"): signatures in signed-message
 * format 2 under the account's key in this deployment's domain, nonces, amounts, the insurance
 * fund's rules, the free-collateral rule with funding settled over every position (the engine's
 * {@code RiskMath}), a new account's leaf for a deposit into an empty slot, and a forced withdrawal
 * that pays 0 when its free collateral does not cover it but is still consumed. The account leaves
 * are written in witness mode in the step's order and returned as a {@link CollateralStepWitness}
 * with the step's public data, for the priority operations the hash L1 queued, and what the format
 * v3 witness encoding reads besides: this deployment and the markets tree the step read (the margin
 * table of {@code io.zkperp.batcher.v3.witness.CollateralStepElements}).
 *
 * <p>A refused transaction throws {@link CollateralRefusedException} with typed reasons and leaves
 * the batch unchanged: every record is computed and checked before the first write.
 *
 * <p>Immutable; any thread may create it, and {@link #execute} runs on the thread that owns the
 * batch (the store's writer thread).
 */
public final class CollateralExecution {
  private final MessageDomain domain;

  /**
   * An executor for withdrawals and transfers signed for one deployment.
   *
   * @param domain the deployment (chain id, rollup address) the signatures must name
   */
  public CollateralExecution(MessageDomain domain) {
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /**
   * Executes a collateral transaction on the batch in witness mode. Writer thread of the batch's
   * store.
   *
   * @param batch the open batch
   * @param tx the transaction
   * @return the step's openings, public data, priority operation, this domain and the markets tree
   * @throws CollateralRefusedException the transaction breaks a rule (the batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public CollateralStepWitness execute(StateBatchV2 batch, CollateralTransaction tx)
      throws CollateralRefusedException {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(tx, "tx");
    MarketsTreeSnapshot markets = MarketsTreeSnapshot.read(batch); // a collateral step moves none
    CollateralStepWitness w =
        switch (tx) {
          case DepositTransaction d -> PriorityStepRules.deposit(batch, d);
          case WithdrawalTransaction wd -> SignedStepRules.withdrawal(domain, batch, wd);
          case TransferTransaction t -> SignedStepRules.transfer(domain, batch, t);
          case ForcedWithdrawalTransaction f -> PriorityStepRules.forcedWithdrawal(batch, f);
        };
    return w.executedIn(domain, markets);
  }
}
