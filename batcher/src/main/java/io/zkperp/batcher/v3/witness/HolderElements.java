package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.Position;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import java.math.BigInteger;
import java.util.List;

/**
 * An account a liquidation step changes without its owner's signature (the liquidated account, the
 * fund in a takeover, both accounts of a deleveraging), as {@code liqstep} assigns it: its rule
 * witness ({@code perp.HolderVars}: account, collateral and N entries before, the one-hot entry of
 * the step's market, N entries after, collateral after, funding settled) and its opening ({@code
 * liqstep.Holder}: identity hash, nonce, fills root, 24 path siblings). Stateless; any thread.
 */
final class HolderElements {
  /** Elements of an opening: identity, nonce, fills root and 24 siblings. */
  static final int OPENING = 3 + 24;

  private HolderElements() {}

  /**
   * Elements of the rule witness for N entries.
   *
   * @param n list entries per account
   * @return 4 + 7·N
   */
  static int rulesCount(int n) {
    return 4 + 7 * n;
  }

  /**
   * Appends the rule witness. The funding settled is what makes the collateral after hold: after =
   * before + funding − Δ·price − fee, Δ the signed change of the account's position.
   *
   * @param out the list
   * @param p the prefix ({@code Rules.Liquidated.})
   * @param o the account's update
   * @param market the step's market
   * @param delta the signed change of the account's position in the market
   * @param price the step's price
   * @param fee what the step charges the account besides the price (a liquidation fee), else 0
   * @param n list entries the shape reads
   * @param index the step's position (for the refusal)
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: an entry at N or above used or
   *     selected
   */
  static void rules(
      StepElements out,
      String p,
      AccountLeafUpdateV2 o,
      int market,
      long delta,
      long price,
      long fee,
      int n,
      int index)
      throws BatchWitnessException {
    AccountV2 before = o.before();
    AccountV2 after = o.after();
    int slot = Position.slotFor(before.positions(), market);
    List<Position> listBefore = Position.listOf(before.positions());
    List<Position> listAfter = Position.listOf(after.positions());
    checkList(o.accountId(), listBefore, n, index);
    checkList(o.accountId(), listAfter, n, index);
    if (slot < 0 || slot >= n) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE,
          index,
          "account " + o.accountId() + " selects entry " + slot + ", N = " + n);
    }
    BigInteger funding =
        BigInteger.valueOf(after.collateral())
            .subtract(BigInteger.valueOf(before.collateral()))
            .add(BigInteger.valueOf(delta).multiply(BigInteger.valueOf(price)))
            .add(BigInteger.valueOf(fee));
    out.add(p + "Account", Fr.fromUnsignedLong(o.accountId()));
    out.add(p + "Collateral", before.collateral());
    entries(out, p + "Positions.", listBefore, n);
    for (int i = 0; i < n; i++) {
      out.add(p + "Select." + i, i == slot ? 1 : 0);
    }
    entries(out, p + "After.", listAfter, n);
    out.add(p + "CollateralAfter", after.collateral());
    out.add(p + "FundingSettled", funding);
  }

  /**
   * Appends the opening: identity hash, nonce, fills root, path.
   *
   * @param out the list
   * @param p the prefix ({@code Liquidated.})
   * @param o the account's update
   */
  static void opening(StepElements out, String p, AccountLeafUpdateV2 o) {
    AccountV2 before = o.before();
    out.add(p + "Identity", before.identity().hash());
    out.add(p + "Nonce", Fr.fromUnsignedLong(before.nonce()));
    out.add(p + "FillsRoot", o.fillsRoot());
    AccountLeafElements.path(out, p + "Path.", o.path().siblings());
  }

  private static void checkList(long id, List<Position> list, int n, int index)
      throws BatchWitnessException {
    for (int i = n; i < list.size(); i++) {
      if (list.get(i).size() != 0) {
        throw new BatchWitnessException(
            BatchWitnessError.SHAPE, index, "account " + id + " uses entry " + i + ", N = " + n);
      }
    }
  }

  private static void entries(StepElements out, String prefix, List<Position> list, int n) {
    for (int i = 0; i < n; i++) {
      Position e = list.get(i);
      out.add(prefix + i + ".Market", e.market());
      out.add(prefix + i + ".Size", e.size());
      out.add(prefix + i + ".Snapshot", e.snapshot());
    }
  }
}
