package io.zkperp.gateway.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;

/**
 * The JSON shapes of accounts, orders, fills and funding ticks, shared by the methods ({@code
 * perp_getAccount}, {@code perp_getFills}, {@code perp_getFundingHistory}) and the account and
 * market streams, so that a stream and a query give the same fields. Every number is an integer.
 * Stateless; any thread.
 */
public final class AccountJson {
  private AccountJson() {}

  /**
   * Writes an account's fields into {@code o}: {@code account, sequence, journalSeq, collateral,
   * positions[{market, size, costBasis, fundingSnapshot, pendingFunding, liquidationPrice}]} and,
   * with a risk configuration, {@code equity, initialMargin, maintenanceMargin, freeCollateral,
   * pendingFunding}.
   *
   * @param o the object to fill
   * @param a the account
   * @return {@code o}
   */
  public static ObjectNode write(ObjectNode o, ReadModel.AccountView a) {
    o.put("account", a.account());
    o.put("sequence", a.sequence());
    o.put("journalSeq", a.journalSeq());
    o.put("collateral", a.collateral());
    ArrayNode positions = o.putArray("positions");
    for (ReadModel.Position p : a.positions()) {
      ObjectNode po =
          positions
              .addObject()
              .put("market", p.market())
              .put("size", p.size())
              .put("costBasis", p.costBasis())
              .put("fundingSnapshot", p.fundingSnapshot())
              .put("pendingFunding", p.pendingFunding());
      if (a.margin() != null) {
        po.put("liquidationPrice", p.liquidationPrice()); // null: no price liquidates it
      }
    }
    ReadModel.Margin m = a.margin();
    if (m != null) {
      o.put("equity", m.equity());
      o.put("initialMargin", m.initialMargin());
      o.put("maintenanceMargin", m.maintenanceMargin());
      o.put("freeCollateral", m.freeCollateral());
      o.put("pendingFunding", m.pendingFunding());
    }
    return o;
  }

  /**
   * Writes an order as {@code perp_getOpenOrders} does.
   *
   * @param o the object to fill
   * @param order the order
   * @return {@code o}
   */
  public static ObjectNode order(ObjectNode o, ReadModel.OpenOrder order) {
    return o.put("orderId", order.orderId())
        .put("market", order.market())
        .put("clientOrderId", order.clientOrderId())
        .put("side", order.side().name())
        .put("price", order.price())
        .put("size", order.size())
        .put("remaining", order.remaining())
        .put("nonce", order.nonce())
        .put("conditional", order.conditional());
  }

  /**
   * Writes a fill: {@code journalSeq, index, market, orderId, side, liquidity, price, size} and
   * {@code fee} when known.
   *
   * @param o the object to fill
   * @param f the fill
   * @return {@code o}
   */
  public static ObjectNode fill(ObjectNode o, ReadModel.FillView f) {
    o.put("journalSeq", f.journalSeq())
        .put("index", f.index())
        .put("market", f.market())
        .put("orderId", f.orderId())
        .put("side", f.side().name())
        .put("liquidity", f.liquidity().name())
        .put("price", f.price())
        .put("size", f.size());
    if (f.fee() != null) {
      o.put("fee", f.fee().longValue());
    }
    return o;
  }

  /**
   * Writes a funding tick: {@code journalSeq, market, timestamp, indexDelta, fundingIndex,
   * oraclePrice} and, for a derived tick, {@code intervalSeconds, samples, averagePremiumPpm,
   * ratePpm}.
   *
   * @param o the object to fill
   * @param t the tick
   * @return {@code o}
   */
  public static ObjectNode funding(ObjectNode o, ReadModel.FundingTickView t) {
    o.put("journalSeq", t.journalSeq())
        .put("market", t.market())
        .put("timestamp", t.timestamp())
        .put("indexDelta", t.indexDelta())
        .put("fundingIndex", t.fundingIndex())
        .put("oraclePrice", t.oraclePrice());
    if (t.derived() != null) {
      o.put("intervalSeconds", t.derived().intervalSeconds())
          .put("samples", t.derived().samples())
          .put("averagePremiumPpm", t.derived().averagePremiumPpm())
          .put("ratePpm", t.derived().ratePpm());
    }
    return o;
  }
}
