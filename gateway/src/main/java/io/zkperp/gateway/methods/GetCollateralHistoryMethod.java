package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.CollateralChange;
import io.zkperp.gateway.rpc.RpcMethod;

/**
 * {@code perp_getCollateralHistory}: a page of an account's collateral changes (deposits,
 * withdrawals, transfers, funding, trades, fees, liquidation fees, takeovers, deleveraging), newest
 * first, each with the collateral after it, from the history store (every change, no cap); {@code
 * cursor} continues where the previous page's {@code nextCursor} points. Private: the account's
 * read grant is checked first ({@link ReadGrants}). Netty thread (a RocksDB read, no lock shared
 * with the journal thread).
 */
public final class GetCollateralHistoryMethod extends AccountHistoryMethod<CollateralChange> {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetCollateralHistoryMethod(ReadModel readModel, ReadGrants grants) {
    super(
        RpcMethod.GET_COLLATERAL_HISTORY,
        readModel,
        grants,
        new HistoryListing<>(
            "changes", ReadModel::collateralHistory, GetCollateralHistoryMethod::write));
  }

  /**
   * {@code {journalSeq, index, kind, market, counterparty, amount, balanceAfter, time}}; market and
   * counterparty null where there is none.
   */
  private static void write(ObjectNode o, CollateralChange c) {
    o.put("journalSeq", c.journalSeq()).put("index", c.index()).put("kind", c.kind().name());
    if (c.market() < 0) {
      o.putNull("market");
    } else {
      o.put("market", c.market());
    }
    if (c.counterparty() < 0) {
      o.putNull("counterparty");
    } else {
      o.put("counterparty", c.counterparty());
    }
    o.put("amount", c.amount()).put("balanceAfter", c.balanceAfter()).put("time", c.time());
  }
}
