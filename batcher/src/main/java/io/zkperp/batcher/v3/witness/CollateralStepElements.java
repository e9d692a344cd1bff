package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.CollateralStepWitness;
import io.zkperp.batcher.v3.DepositTransaction;
import io.zkperp.batcher.v3.ForcedWithdrawalTransaction;
import io.zkperp.batcher.v3.MarketsTreeSnapshot;
import io.zkperp.batcher.v3.TransferTransaction;
import io.zkperp.batcher.v3.WithdrawalTransaction;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.v2.AccountIdentity;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import java.util.Objects;

/**
 * A collateral step's circuit elements in the margin shape of K table markets, in the order {@code
 * batchv3.Encode} writes them: gnark's schema order over {@code collateralstep.DepositStep}, {@code
 * WithdrawalStep}, {@code TransferStep} or {@code ForcedWithdrawalStep} as {@code collateralstep}'s
 * {@code …WitnessWithMargin(state, tx, K)} assigns them, each named by its leaf path ({@code
 * A.Path.3}, {@code Margin.0.Table.2.TickBounds.4}). Built from what {@link
 * io.zkperp.batcher.v3.CollateralExecution} returns. Stateless; any thread.
 */
public final class CollateralStepElements {
  private CollateralStepElements() {}

  /**
   * The number of elements of a collateral slot.
   *
   * @param group {@link StepGroup#DEPOSIT}, {@code WITHDRAWAL}, {@code TRANSFER} or {@code
   *     FORCED_WITHDRAWAL}
   * @param k the table's markets
   * @return the element count
   * @throws IllegalArgumentException another group
   */
  public static int count(StepGroup group, int k) {
    int shared = AccountLeafElements.LEAF + AccountLeafElements.margin(k) + 2;
    return switch (group) {
      case DEPOSIT -> 6 + 4 + shared;
      case WITHDRAWAL -> 4 + 3 + shared;
      case TRANSFER -> 4 + 3 + shared + 4 + 4 + 3 * AccountLeafElements.ENTRIES + 24;
      case FORCED_WITHDRAWAL -> 4 + 4 + shared;
      default -> throw new IllegalArgumentException(group + " is not a collateral group");
    };
  }

  /**
   * The elements of an executed collateral step.
   *
   * @param w the execution's witness (with its markets tree)
   * @param k the table's markets (the shape's K)
   * @param index the step's position in execution order (for the refusal)
   * @return the elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: an account holds a position in a
   *     market ≥ k, or the witness carries no markets tree
   */
  public static StepElements of(CollateralStepWitness w, int k, int index)
      throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    MarketsTreeSnapshot markets = w.markets();
    if (markets == null) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE, index, "the witness carries no markets tree");
    }
    AccountLeafUpdateV2 a = w.openings().get(0);
    AccountV2 before = a.before();
    StepElements e = new StepElements();
    switch (w.transaction()) {
      case DepositTransaction d -> {
        AccountV2 opened =
            before != null
                ? before
                : new AccountV2(
                    new AccountIdentity(d.publicKeyX(), d.publicKeyY(), d.owner(), 0),
                    0,
                    0,
                    PositionList.EMPTY);
        AccountLeafElements.checkTable(opened, k, index, "the deposit's account");
        e.add("Account", account(d.account()));
        e.add("L1Owner", d.owner().toField());
        e.add("PublicKeyX", d.publicKeyX());
        e.add("PublicKeyY", d.publicKeyY());
        e.add("Amount", Fr.fromUnsignedLong(d.amount()));
        e.add("Exists", before == null ? 0 : 1);
        AccountLeafElements.leaf(e, "A.", opened, a.fillsRoot(), a.path().siblings());
        AccountLeafElements.zeroList(e, "List.");
        AccountLeafElements.margin(e, opened.positions(), markets, k);
      }
      case WithdrawalTransaction wd -> {
        AccountLeafElements.checkTable(before, k, index, "the withdrawing account");
        WithdrawalMessage m = wd.message();
        e.add("Account", account(m.account()));
        e.add("L1Owner", m.l1Owner().toField());
        e.add("Amount", Fr.fromUnsignedLong(m.amount()));
        e.add("Nonce", Fr.fromUnsignedLong(m.nonce()));
        AccountLeafElements.signature(e, "Signature.", wd.signature());
        AccountLeafElements.leaf(e, "A.", before, a.fillsRoot(), a.path().siblings());
        AccountLeafElements.margin(e, before.positions(), markets, k);
      }
      case TransferTransaction t -> {
        AccountLeafUpdateV2 b = w.openings().get(1);
        AccountLeafElements.checkTable(before, k, index, "the sender");
        AccountLeafElements.checkTable(b.before(), k, index, "the receiver");
        TransferMessage m = t.message();
        e.add("Account", account(m.account()));
        e.add("Receiver", account(m.receiver()));
        e.add("Amount", Fr.fromUnsignedLong(m.amount()));
        e.add("Nonce", Fr.fromUnsignedLong(m.nonce()));
        AccountLeafElements.signature(e, "Signature.", t.signature());
        AccountLeafElements.leaf(e, "A.", before, a.fillsRoot(), a.path().siblings());
        AccountLeafElements.margin(e, before.positions(), markets, k);
        AccountV2 r = b.before();
        e.add("B.Identity", r.identity().hash());
        e.add("B.Nonce", Fr.fromUnsignedLong(r.nonce()));
        e.add("B.Collateral", r.collateral());
        e.add("B.FillsRoot", b.fillsRoot());
        AccountLeafElements.zeroList(e, "B.List.");
        AccountLeafElements.entries(e, "B.Entries.", r.positions());
        AccountLeafElements.path(e, "B.Path.", b.path().siblings());
      }
      case ForcedWithdrawalTransaction f -> {
        AccountLeafElements.checkTable(before, k, index, "the account");
        e.add("Account", account(f.account()));
        e.add("L1Owner", f.owner().toField());
        e.add("Amount", Fr.fromUnsignedLong(f.amount()));
        e.add("Covers", w.covers() ? 1 : 0);
        AccountLeafElements.leaf(e, "A.", before, a.fillsRoot(), a.path().siblings());
        AccountLeafElements.zeroList(e, "List.");
        AccountLeafElements.margin(e, before.positions(), markets, k);
      }
    }
    AccountLeafElements.rest(e, w.rootsBefore());
    return e;
  }

  private static Fr account(int id) {
    return Fr.fromUnsignedLong(Integer.toUnsignedLong(id));
  }
}
