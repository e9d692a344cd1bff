package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.sequencer.RejectReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code perp_getOrderBook}: aggregated levels from the read model. The answer for a (market,
 * depth) is serialized once per book version (the book's {@code sequence}, which changes with every
 * level change) and reused by every call until the book changes ({@link JournalSeqAnswer}): a call
 * on an unchanged book reads the book's sequence and journalSeq (its best level) and splices the
 * journalSeq into the kept text. At most {@link #MAX_KEPT} (market, depth) answers are kept; when
 * full, they are all dropped. Netty threads, any number at once.
 */
public final class GetOrderBookMethod extends PublicReadMethod {
  /** The most (market, depth) answers kept. */
  static final int MAX_KEPT = 256;

  private final Map<Long, Kept> kept = new ConcurrentHashMap<>();

  /** An answer and the book version it shows. */
  private record Kept(long sequence, JournalSeqAnswer answer) {}

  /**
   * The method.
   *
   * @param readModel the read model
   */
  public GetOrderBookMethod(ReadModel readModel) {
    super(RpcMethod.GET_ORDER_BOOK, readModel);
  }

  @Override
  JsonNode answer(Params p) {
    int market = (int) p.longValue("market", 0, 65_535);
    int depth = (int) p.longValue("depth", 1, 1000, 50);
    if (!readModel.hasMarket(market)) {
      throw new RpcException(
          RpcError.of(RejectReason.UNKNOWN_MARKET),
          "market "
              + market
              + " is not listed; listed: "
              + readModel.markets().stream().map(ReadModel.MarketInfo::market).toList());
    }
    long key = ((long) market << 16) | depth;
    Kept k = kept.get(key);
    if (k != null) {
      // the version and journalSeq without copying the levels: one level per side
      ReadModel.BookSnapshot top = readModel.book(market, 1);
      if (top.sequence() == k.sequence()) {
        return k.answer().with(top.journalSeq());
      }
    }
    ReadModel.BookSnapshot b = readModel.book(market, depth);
    ObjectNode r = Json.object();
    r.put("market", b.market());
    r.put("sequence", b.sequence());
    r.put("journalSeq", b.journalSeq());
    r.set("bids", levels(b.bids()));
    r.set("asks", levels(b.asks()));
    JournalSeqAnswer answer = JournalSeqAnswer.of(r);
    if (kept.size() >= MAX_KEPT) {
      kept.clear();
    }
    kept.put(key, new Kept(b.sequence(), answer));
    return answer.with(b.journalSeq());
  }

  private static ArrayNode levels(List<ReadModel.Level> levels) {
    ArrayNode a = Json.NODES.arrayNode();
    for (ReadModel.Level l : levels) {
      a.addObject().put("price", l.price()).put("size", l.size()).put("orders", l.orders());
    }
    return a;
  }
}
