package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.List;

/**
 * The withdrawal and the transfer (signed in signed-message format 2) on a layout v2 batch, as the
 * Go references {@code collateralstep.ApplyWithdrawal} and {@code ApplyTransfer} execute them:
 * every record is computed and checked before the first write. Stateless; the batch's thread.
 */
final class SignedStepRules {
  private SignedStepRules() {}

  /**
   * A withdrawal to the account's bound owner: the debit's rules ({@link CollateralRules#debit}),
   * then funding settled, the amount taken, the nonce + 1.
   */
  static CollateralStepWitness withdrawal(
      MessageDomain domain, StateBatchV2 batch, WithdrawalTransaction w)
      throws CollateralRefusedException {
    WithdrawalMessage m = w.message();
    long id = CollateralRules.leafIndex(m.account());
    AccountV2 a = batch.account(id);
    if (a == null) {
      throw CollateralRules.refused(
          CollateralRefusalReason.NO_ACCOUNT, "account " + id + " does not exist");
    }
    CollateralRules rules = new CollateralRules();
    if (!m.l1Owner().equals(a.identity().owner())) {
      rules.add(CollateralRefusalReason.L1_OWNER);
    }
    SettledAccount st =
        rules.debit(batch, id, a, m.nonce(), m.amount(), w.signature(), m.hash(domain));
    rules.refuseIfBroken("the withdrawal from account " + id);
    AccountLeafUpdateV2 u = batch.updateAccountLeaf(id, debited(a, st, m.amount()));
    return new CollateralStepWitness(
        w,
        List.of(u),
        CollateralPublicData.withdrawal(id, m.amount(), m.l1Owner()),
        null,
        m.amount());
  }

  /**
   * A transfer: the sender debited as a withdrawal is, then the receiver — an existing account
   * other than the sender and the fund — credited after its funding is settled, its path taken
   * after the sender's update.
   */
  static CollateralStepWitness transfer(
      MessageDomain domain, StateBatchV2 batch, TransferTransaction t)
      throws CollateralRefusedException {
    TransferMessage m = t.message();
    long from = CollateralRules.leafIndex(m.account());
    long to = CollateralRules.leafIndex(m.receiver());
    CollateralRules rules = new CollateralRules();
    if (from == to) {
      rules.add(CollateralRefusalReason.SELF_TRANSFER);
    }
    if (to == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      rules.add(CollateralRefusalReason.INSURANCE_FUND);
    }
    AccountV2 a = batch.account(from);
    AccountV2 b = batch.account(to);
    if (a == null || b == null) {
      rules.add(CollateralRefusalReason.NO_ACCOUNT);
    }
    if (a == null || b == null || from == to) {
      rules.refuseIfBroken("the transfer from " + from + " to " + to);
    }
    SettledAccount st =
        rules.debit(batch, from, a, m.nonce(), m.amount(), t.signature(), m.hash(domain));
    SettledAccount stB = CollateralRules.settleOrNull(batch, b);
    Long credited = stB == null ? null : CollateralRules.credited(stB.collateral(), m.amount());
    if (credited == null) {
      rules.add(CollateralRefusalReason.RANGE);
    }
    rules.refuseIfBroken("the transfer from " + from + " to " + to);
    AccountLeafUpdateV2 sender = batch.updateAccountLeaf(from, debited(a, st, m.amount()));
    AccountLeafUpdateV2 receiver =
        batch.updateAccountLeaf(
            to, new AccountV2(b.identity(), b.nonce(), credited, stB.positions()));
    return new CollateralStepWitness(
        t,
        List.of(sender, receiver),
        CollateralPublicData.transfer(from, to, m.amount()),
        null,
        m.amount());
  }

  /** The debited account: funding settled, the amount taken, the nonce + 1. */
  private static AccountV2 debited(AccountV2 a, SettledAccount st, long amount) {
    return new AccountV2(a.identity(), a.nonce() + 1, st.collateral() - amount, st.positions());
  }
}
