package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransactionMessages;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.List;

/**
 * The deposit and the forced withdrawal (the L1 priority operations) on a layout v2 batch, as the
 * Go references {@code collateralstep.ApplyDeposit} and {@code ApplyForcedWithdrawal} execute them.
 * Every record is computed and checked before the one write. Stateless; the batch's thread.
 */
final class PriorityStepRules {
  private PriorityStepRules() {}

  /**
   * A deposit: an empty slot becomes the account (the deposit's key and owner, fee tier 0, nonce 0,
   * collateral = amount, no fill, no position); an existing account must be bound to the same owner
   * and key and is credited after its funding is settled. Not into the insurance fund.
   */
  static CollateralStepWitness deposit(StateBatchV2 batch, DepositTransaction d)
      throws CollateralRefusedException {
    long id = CollateralRules.leafIndex(d.account());
    CollateralRules rules = new CollateralRules();
    if (id == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      rules.add(CollateralRefusalReason.INSURANCE_FUND);
    }
    AccountV2 a = batch.account(id);
    if (a != null) {
      AccountIdentity i = a.identity();
      if (!i.owner().equals(d.owner())
          || !i.publicKeyX().equals(d.publicKeyX())
          || !i.publicKeyY().equals(d.publicKeyY())) {
        rules.add(CollateralRefusalReason.BINDING);
      }
    } else {
      a =
          new AccountV2(
              new AccountIdentity(d.publicKeyX(), d.publicKeyY(), d.owner(), 0),
              0,
              0,
              PositionList.EMPTY);
    }
    SettledAccount st = CollateralRules.settleOrNull(batch, a); // the engine credits after settling
    Long after = st == null ? null : CollateralRules.credited(st.collateral(), d.amount());
    if (after == null) {
      rules.add(CollateralRefusalReason.RANGE);
    }
    rules.refuseIfBroken("the deposit into account " + id);
    AccountLeafUpdateV2 u =
        batch.updateAccountLeaf(id, new AccountV2(a.identity(), a.nonce(), after, st.positions()));
    Fr op =
        TransactionMessages.depositHash(
            d.account(), d.owner(), d.publicKeyX(), d.publicKeyY(), d.amount());
    return new CollateralStepWitness(d, List.of(u), CollateralPublicData.deposit(), op, 0);
  }

  /**
   * A forced withdrawal: the requester must be the account's bound owner (not the fund, an amount
   * within 2^63 − 1); it pays the amount if the free collateral covers it (funding settled, the
   * nonce unchanged), else nothing changes and it pays 0 — consumed either way.
   */
  static CollateralStepWitness forcedWithdrawal(StateBatchV2 batch, ForcedWithdrawalTransaction f)
      throws CollateralRefusedException {
    long id = CollateralRules.leafIndex(f.account());
    AccountV2 a = batch.account(id);
    if (a == null) {
      throw CollateralRules.refused(
          CollateralRefusalReason.NO_ACCOUNT, "account " + id + " does not exist");
    }
    CollateralRules rules = new CollateralRules();
    if (id == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      rules.add(CollateralRefusalReason.INSURANCE_FUND);
    }
    if (!f.owner().equals(a.identity().owner())) {
      rules.add(CollateralRefusalReason.L1_OWNER);
    }
    if (f.amount() < 0) {
      rules.add(CollateralRefusalReason.RANGE);
    }
    rules.refuseIfBroken("the forced withdrawal from account " + id);
    SettledAccount st = CollateralRules.settleOrNull(batch, a);
    if (st == null) {
      throw CollateralRules.refused(
          CollateralRefusalReason.RANGE, "account " + id + "'s margin leaves the int64 range");
    }
    boolean covers = st.free() >= 0 && f.amount() <= st.free();
    long paid = covers ? f.amount() : 0;
    AccountV2 after =
        covers ? new AccountV2(a.identity(), a.nonce(), st.collateral() - paid, st.positions()) : a;
    AccountLeafUpdateV2 u = batch.updateAccountLeaf(id, after);
    Fr op = TransactionMessages.forcedWithdrawalHash(f.account(), f.owner(), f.amount());
    return new CollateralStepWitness(
        f,
        List.of(u),
        CollateralPublicData.forcedWithdrawal(id, paid, f.owner()),
        op,
        paid,
        covers,
        null,
        null);
  }
}
