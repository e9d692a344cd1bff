package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.bridge.history.FundingPayment;
import io.zkperp.gateway.bridge.history.HistoryCursor;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import java.util.function.Supplier;

/**
 * {@code perp_getFundingPayments}: a page of an account's funding payments (one per settled
 * position), newest first, from the history store (every payment, no cap); {@code cursor} continues
 * where the previous page's {@code nextCursor} points. Private: the account's read grant is checked
 * first ({@link ReadGrants}). Netty thread (a RocksDB read, no lock shared with the journal
 * thread).
 */
public final class GetFundingPaymentsMethod extends PrivateAccountMethod {
  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetFundingPaymentsMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_FUNDING_PAYMENTS, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    int market = (int) p.longValue("market", 0, 65_535, -1);
    if (market >= 0) {
      HistoryPaging.listedMarket(readModel, market);
    }
    HistoryCursor cursor = HistoryPaging.cursor(p);
    int limit = HistoryPaging.limit(p);
    return () ->
        HistoryPaging.json(
            "payments",
            readModel.fundingPayments(account, market, cursor, limit),
            GetFundingPaymentsMethod::write);
  }

  /** {@code {journalSeq, index, market, size, amount, indexBefore, indexAfter, time}}. */
  private static void write(ObjectNode o, FundingPayment f) {
    o.put("journalSeq", f.journalSeq())
        .put("index", f.index())
        .put("market", f.market())
        .put("size", f.size())
        .put("amount", f.amount())
        .put("indexBefore", f.indexBefore())
        .put("indexAfter", f.indexAfter())
        .put("time", f.time());
  }
}
