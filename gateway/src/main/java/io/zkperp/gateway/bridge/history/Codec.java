package io.zkperp.gateway.bridge.history;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.sequencer.Side;
import java.nio.ByteBuffer;

/**
 * The values of the {@link HistoryStore}'s entries, big-endian; the journal sequence and the index
 * are in the key and not repeated. Stateless.
 */
final class Codec {
  private Codec() {}

  static byte[] fill(ReadModel.FillView f) {
    return ByteBuffer.allocate(4 + 8 + 1 + 1 + 8 + 8 + 1 + 8)
        .putInt(f.market())
        .putLong(f.orderId())
        .put((byte) f.side().ordinal())
        .put((byte) f.liquidity().ordinal())
        .putLong(f.price())
        .putLong(f.size())
        .put((byte) (f.fee() == null ? 0 : 1))
        .putLong(f.fee() == null ? 0 : f.fee())
        .array();
  }

  static ReadModel.FillView fill(long seq, int index, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    int market = b.getInt();
    long orderId = b.getLong();
    Side side = Side.values()[b.get()];
    ReadModel.Liquidity liquidity = ReadModel.Liquidity.values()[b.get()];
    long price = b.getLong();
    long size = b.getLong();
    boolean hasFee = b.get() == 1;
    long fee = b.getLong();
    return new ReadModel.FillView(
        seq, index, market, orderId, side, liquidity, price, size, hasFee ? fee : null);
  }

  static byte[] trade(HistoryStore.Trade t) {
    return ByteBuffer.allocate(8 + 8 + 8 + 1)
        .putLong(t.time())
        .putLong(t.price())
        .putLong(t.size())
        .put((byte) t.takerSide().ordinal())
        .array();
  }

  static HistoryStore.Trade trade(long seq, int index, int market, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new HistoryStore.Trade(
        seq, index, market, b.getLong(), b.getLong(), b.getLong(), Side.values()[b.get()]);
  }

  static byte[] funding(ReadModel.FundingTickView t) {
    ReadModel.FundingDerivation d = t.derived();
    ByteBuffer b = ByteBuffer.allocate(8 * 4 + 1 + (d == null ? 0 : 8 + 4 + 8 + 8));
    b.putLong(t.timestamp()).putLong(t.indexDelta()).putLong(t.fundingIndex());
    b.putLong(t.oraclePrice()).put((byte) (d == null ? 0 : 1));
    if (d != null) {
      b.putLong(d.intervalSeconds())
          .putInt(d.samples())
          .putLong(d.averagePremiumPpm())
          .putLong(d.ratePpm());
    }
    return b.array();
  }

  static ReadModel.FundingTickView funding(long seq, int market, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    long timestamp = b.getLong();
    long delta = b.getLong();
    long index = b.getLong();
    long oracle = b.getLong();
    ReadModel.FundingDerivation d =
        b.get() == 1
            ? new ReadModel.FundingDerivation(b.getLong(), b.getInt(), b.getLong(), b.getLong())
            : null;
    return new ReadModel.FundingTickView(seq, market, timestamp, delta, index, oracle, d);
  }

  static byte[] order(HistoryStore.OrderEvent e) {
    ReadModel.OpenOrder o = e.change().order();
    byte[] status = e.change().status().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(8 + 4 + 8 + 1 + 8 + 8 + 8 + 8 + 1 + 1 + status.length)
        .putLong(o.orderId())
        .putInt(o.market())
        .putLong(o.clientOrderId())
        .put((byte) o.side().ordinal())
        .putLong(o.price())
        .putLong(o.size())
        .putLong(o.remaining())
        .putLong(o.nonce())
        .put((byte) (o.conditional() ? 1 : 0))
        .put((byte) status.length)
        .put(status)
        .array();
  }

  static HistoryStore.OrderEvent order(long seq, int index, int account, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    long orderId = b.getLong();
    int market = b.getInt();
    long clientOrderId = b.getLong();
    Side side = Side.values()[b.get()];
    long price = b.getLong();
    long size = b.getLong();
    long remaining = b.getLong();
    long nonce = b.getLong();
    boolean conditional = b.get() == 1;
    byte[] status = new byte[b.get()];
    b.get(status);
    return new HistoryStore.OrderEvent(
        seq,
        index,
        new ReadModel.OrderChange(
            new ReadModel.OpenOrder(
                orderId,
                account,
                market,
                clientOrderId,
                side,
                price,
                size,
                remaining,
                nonce,
                conditional),
            new String(status, java.nio.charset.StandardCharsets.US_ASCII)));
  }

  static byte[] candle(Candle c) {
    return ByteBuffer.allocate(8 * 6)
        .putLong(c.open())
        .putLong(c.high())
        .putLong(c.low())
        .putLong(c.close())
        .putLong(c.volume())
        .putLong(c.trades())
        .array();
  }

  static Candle candle(int market, CandleInterval interval, long start, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new Candle(
        market,
        interval,
        start,
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong());
  }

  static byte[] orderRecord(OrderRecord r) {
    byte[] order = order(new HistoryStore.OrderEvent(r.lastJournalSeq(), 0, r.change()));
    return ByteBuffer.allocate(8 + 8 + order.length)
        .putLong(r.lastJournalSeq())
        .putLong(r.filled())
        .put(order)
        .array();
  }

  static OrderRecord orderRecord(int account, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    long seq = b.getLong();
    long filled = b.getLong();
    byte[] rest = new byte[b.remaining()];
    b.get(rest);
    return new OrderRecord(seq, filled, order(seq, 0, account, rest).change());
  }

  static byte[] payment(FundingPayment p) {
    return ByteBuffer.allocate(4 + 8 * 5)
        .putInt(p.market())
        .putLong(p.size())
        .putLong(p.amount())
        .putLong(p.indexBefore())
        .putLong(p.indexAfter())
        .putLong(p.time())
        .array();
  }

  static FundingPayment payment(long seq, int index, int account, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new FundingPayment(
        seq,
        index,
        account,
        b.getInt(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong());
  }

  static byte[] collateral(CollateralChange c) {
    return ByteBuffer.allocate(1 + 4 + 4 + 8 * 3)
        .put((byte) c.kind().ordinal())
        .putInt(c.market())
        .putInt(c.counterparty())
        .putLong(c.amount())
        .putLong(c.balanceAfter())
        .putLong(c.time())
        .array();
  }

  static CollateralChange collateral(long seq, int index, int account, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return new CollateralChange(
        seq,
        index,
        account,
        CollateralKind.values()[b.get()],
        b.getInt(),
        b.getInt(),
        b.getLong(),
        b.getLong(),
        b.getLong());
  }
}
