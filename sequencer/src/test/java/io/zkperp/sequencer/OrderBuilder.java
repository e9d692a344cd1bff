package io.zkperp.sequencer;

import io.zkperp.sequencer.command.PlaceOrder;

/** Fluent builder of test orders (dummy signature unless signed later). */
public final class OrderBuilder {
  public static final long FAR_FUTURE = 4_000_000_000L;
  private int account;
  private int market = 1;
  private Side side = Side.BUY;
  private int clientOrderId;
  private boolean hasClientId;
  private OrderType type = OrderType.LIMIT;
  private TimeInForce tif = TimeInForce.GTC;
  private boolean reduceOnly;
  private long size = 10;
  private long price = 1000;
  private long feeCap = 1_000; // ppm: covers every test tier's rates (at most 700 ppm)
  private long expiry = FAR_FUTURE;
  private long nonce;
  private TriggerType trigger = TriggerType.NONE;
  private long triggerPrice;

  public static OrderBuilder order(int account, Side side, long size, long price) {
    OrderBuilder b = new OrderBuilder();
    b.account = account;
    b.side = side;
    b.size = size;
    b.price = price;
    return b;
  }

  public OrderBuilder market(int m) {
    this.market = m;
    return this;
  }

  public OrderBuilder clientId(int id) {
    this.clientOrderId = id;
    this.hasClientId = true;
    return this;
  }

  public OrderBuilder marketOrder() {
    this.type = OrderType.MARKET;
    this.tif = TimeInForce.IOC;
    return this;
  }

  public OrderBuilder tif(TimeInForce t) {
    this.tif = t;
    return this;
  }

  public OrderBuilder reduceOnly() {
    this.reduceOnly = true;
    return this;
  }

  public OrderBuilder feeCap(long f) {
    this.feeCap = f;
    return this;
  }

  public OrderBuilder expiry(long e) {
    this.expiry = e;
    return this;
  }

  public OrderBuilder nonce(long n) {
    this.nonce = n;
    return this;
  }

  public OrderBuilder trigger(TriggerType t, long price) {
    this.trigger = t;
    this.triggerPrice = price;
    return this;
  }

  public boolean hasClientId() {
    return hasClientId;
  }

  public boolean hasNonce() {
    return nonce != 0;
  }

  public PlaceOrder build() {
    return new PlaceOrder(
        account,
        market,
        side,
        clientOrderId,
        type,
        tif,
        reduceOnly,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        trigger,
        triggerPrice,
        new byte[PlaceOrder.SIGNATURE_BYTES]);
  }
}
