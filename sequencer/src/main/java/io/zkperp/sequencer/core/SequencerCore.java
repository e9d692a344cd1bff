package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import java.util.Objects;

/**
 * The deterministic sequencer core: applies commands one at a time, in order, and nothing else
 * changes its state. The same commands from the same state always give the same state, events and
 * {@link CoreState#hash state hash}. It reads no clock (time arrives in {@link Tick}) and does no
 * I/O. Per order: validation → nonce window → risk pre-check ({@link RiskHook#preCheck}) → match →
 * settle ({@link RiskHook#settle} per fill). A rejected command changes no state.
 *
 * <p>Thread rule: confined to one thread (the core thread); every method must be called from it.
 */
public final class SequencerCore {
  private final OrderBookFactory bookFactory;
  private final SelfTradePrevention selfTradePrevention;
  final RiskHook risk;
  private final OrderValidator validator = new OrderValidator(new CoreOrderContext(this));
  private CoreListener listener;

  MarketState[] markets = new MarketState[16];
  final LiveOrders live = new LiveOrders();
  final LongLongHashMap positions = new LongLongHashMap(4096);
  final NonceSlots nonceSlots = new NonceSlots();
  final CoreFills fills = new CoreFills(this);
  final CoreLiquidations liquidations = new CoreLiquidations(this);
  private final CoreCollateral collateral = new CoreCollateral(this);
  private final CorePrices prices = new CorePrices(this);
  final ConditionalOrders triggers = new ConditionalOrders(this);
  long time;

  /** The queue index of the next L1 priority operation the core accepts (in its state). */
  long nextPriorityIndex;

  private RejectReason lastRejectReason;
  private String lastRejectMessage;

  /**
   * Creates an empty core.
   *
   * @param bookFactory creates each market's book (optimised in production, naive in tests)
   * @param selfTradePrevention the self-trade mode for every order
   * @param risk the risk stages ({@link RiskHook#PERMISSIVE} until [risk] plugs in)
   * @param listener receives events
   */
  public SequencerCore(
      OrderBookFactory bookFactory,
      SelfTradePrevention selfTradePrevention,
      RiskHook risk,
      CoreListener listener) {
    this.bookFactory = Objects.requireNonNull(bookFactory);
    this.selfTradePrevention = Objects.requireNonNull(selfTradePrevention);
    this.risk = Objects.requireNonNull(risk);
    this.listener = Objects.requireNonNull(listener);
    risk.attach(liquidations);
  }

  /**
   * An empty core with the optimised book, EXPIRE_MAKER and the permissive risk hook.
   *
   * @param listener receives events
   * @return the core
   */
  public static SequencerCore withDefaults(CoreListener listener) {
    return new SequencerCore(
        OrderBookFactory.OPTIMISED,
        SelfTradePrevention.EXPIRE_MAKER,
        RiskHook.PERMISSIVE,
        listener);
  }

  /**
   * Replaces the listener (e.g. after replaying a journal silently).
   *
   * @param listener the new listener
   */
  public void setListener(CoreListener listener) {
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * The self-trade mode.
   *
   * @return the mode
   */
  public SelfTradePrevention selfTradePrevention() {
    return selfTradePrevention;
  }

  /**
   * Applies one command.
   *
   * @param command the command
   * @return true if accepted (and must be journaled); false if rejected (state unchanged, see
   *     {@link #lastRejectReason()})
   */
  public boolean apply(Command command) {
    lastRejectReason = null;
    lastRejectMessage = null;
    return switch (command) {
      case PlaceOrder p -> place(p);
      case CancelOrder c -> cancel(c);
      case CancelReplace r -> cancelReplace(r);
      case CancelAll a -> cancelAll(a);
      case OraclePrice o -> prices.oraclePrice(o);
      case Tick t -> tick(t);
      case AddMarket m -> addMarket(m);
      case DepositCollateral d -> collateral.collateral(d.account(), d.amount(), true);
      case WithdrawCollateral w -> collateral.collateral(w.account(), w.amount(), false);
      case FundingTick f -> prices.fundingTick(f);
      case TransferCollateral t -> collateral.transfer(t);
      case SignedOraclePrices s -> prices.signedOraclePrices(s);
      case TopUpInsuranceFund f -> passes(risk.topUpInsuranceFund(f.amount()));
      case CreditL1Deposit d -> collateral.creditL1Deposit(d);
      case ServeL1ForcedWithdrawal f -> collateral.serveForcedWithdrawal(f);
      case ServeL1ForcedTrade f -> collateral.serveForcedTrade(f);
      case SignedWithdrawCollateral w -> collateral.collateral(w.account(), w.amount(), false);
      case SignedTransferCollateral t ->
          collateral.transfer(new TransferCollateral(t.from(), t.to(), t.amount()));
    };
  }

  /**
   * The aggregator whose signature check the intake threads run on {@link SignedOraclePrices}
   * before journaling (the risk hook's, see {@link RiskHook#oracleAggregator}). Immutable: any
   * thread may use it.
   *
   * @return the aggregator, or null if the core takes no signed prices
   */
  public OracleAggregator oracleAggregator() {
    return risk.oracleAggregator();
  }

  /**
   * The reason of the last rejection, if the last command was rejected.
   *
   * @return the reason, or null if the last command was accepted
   */
  public RejectReason lastRejectReason() {
    return lastRejectReason;
  }

  /**
   * The message of the last rejection.
   *
   * @return the message, or null if the last command was accepted
   */
  public String lastRejectMessage() {
    return lastRejectMessage;
  }

  /**
   * The queue index of the next L1 priority operation ({@link CreditL1Deposit}, {@link
   * ServeL1ForcedWithdrawal}, {@link ServeL1ForcedTrade}) the core accepts: every lower index has
   * been consumed. Core thread (or any thread before the core starts).
   *
   * @return the index, 0 on an empty core
   */
  public long nextPriorityIndex() {
    return nextPriorityIndex;
  }

  /**
   * The core's time (seconds), as set by the last {@link Tick}.
   *
   * @return the time
   */
  public long time() {
    return time;
  }

  /**
   * An account's signed position in a market (positive = long).
   *
   * @param account the account
   * @param market the market
   * @return the position in synthetic quanta
   */
  public long position(int account, int market) {
    return positions.get(positionKey(account, market));
  }

  /**
   * The book of a market.
   *
   * @param market the market id
   * @return the book, or null if the market is not listed
   */
  public OrderBook book(int market) {
    MarketState m = market(market);
    return m == null ? null : m.book;
  }

  /**
   * A live order (resting or parked) by order id.
   *
   * @param orderId the order id
   * @return the order (a live pooled object: read it now), or null
   */
  public Order order(long orderId) {
    return live.byId.get(orderId);
  }

  /**
   * A live order by account and client order id.
   *
   * @param account the account
   * @param clientOrderId the client order id
   * @return the order (read it now), or null
   */
  public Order orderByClientId(int account, int clientOrderId) {
    return live.byClientId(account, clientOrderId);
  }

  /**
   * Number of live orders (resting and parked).
   *
   * @return the count
   */
  public int liveOrderCount() {
    return live.byId.size();
  }

  /**
   * The listed market ids, ascending.
   *
   * @return the ids
   */
  public int[] marketIds() {
    int n = 0;
    for (MarketState m : markets) {
      if (m != null) {
        n++;
      }
    }
    int[] ids = new int[n];
    n = 0;
    for (MarketState m : markets) {
      if (m != null) {
        ids[n++] = m.id;
      }
    }
    return ids;
  }

  /**
   * Σ of every account's position in a market (0 whenever the core is consistent).
   *
   * @param market the market
   * @return the sum
   */
  public long positionSum(int market) {
    long sum = 0;
    for (long key : positions.sortedNonZeroKeys()) {
      if ((key & 0xFFFF) == market) {
        sum += positions.get(key);
      }
    }
    return sum;
  }

  static long positionKey(int account, int market) {
    return ((long) account << 16) | market;
  }

  MarketState market(int id) {
    return id >= 0 && id < markets.length ? markets[id] : null;
  }

  // ---------------------------------------------------------------- commands

  private boolean addMarket(AddMarket m) {
    if (!passes(MarketState.checkListing(m, market(m.market()) != null))) {
      return false;
    }
    listMarket(m.market(), m.tickSize(), m.stepSize(), m.minSize());
    return true;
  }

  MarketState listMarket(int id, long tick, long step, long min) {
    if (id >= markets.length) {
      markets = java.util.Arrays.copyOf(markets, Math.max(id + 1, markets.length * 2));
    }
    MarketState state = new MarketState(id, tick, step, min, bookFactory.create(id));
    markets[id] = state;
    return state;
  }

  private boolean tick(Tick t) {
    if (t.time() < time) {
      return reject(
          RejectReason.TIME_WENT_BACKWARDS,
          "tick time " + t.time() + " is before the current time " + time + "; use ≥ " + time);
    }
    time = t.time();
    Order o;
    while ((o = live.expiries.peek()) != null && o.expiry <= time) {
      removeLive(o, CloseReason.EXPIRED);
    }
    risk.onTick(time, this::book); // funding samples and derived ticks, after the expiries
    return true;
  }

  private boolean cancel(CancelOrder c) {
    Order o = live.owned(c.account(), c.byClientOrderId(), c.id());
    if (o == null) {
      return reject(
          RejectReason.UNKNOWN_ORDER, unknownOrder(c.account(), c.byClientOrderId(), c.id()));
    }
    removeLive(o, CloseReason.CANCELLED);
    return true;
  }

  private boolean cancelAll(CancelAll a) {
    if (a.market() != CancelAll.ALL_MARKETS && market(a.market()) == null) {
      return reject(RejectReason.UNKNOWN_MARKET, unknownMarket(a.market()));
    }
    for (Order o : live.ofAccount(a.account(), a.market())) {
      removeLive(o, CloseReason.CANCELLED);
    }
    return true;
  }

  private boolean cancelReplace(CancelReplace r) {
    Order old = live.owned(r.account(), r.byClientOrderId(), r.id());
    if (old == null) {
      return reject(
          RejectReason.UNKNOWN_ORDER, unknownOrder(r.account(), r.byClientOrderId(), r.id()));
    }
    PlaceOrder p = r.replacement();
    if (p.account() != r.account()) {
      return reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "replacement account "
              + p.account()
              + " differs from the cancel-replace account "
              + r.account());
    }
    if (!passes(validator.validate(p, old.orderId))) {
      return false;
    }
    removeLive(old, CloseReason.REPLACED);
    accept(p);
    return true;
  }

  private boolean place(PlaceOrder p) {
    if (!passes(validator.validate(p, 0))) {
      return false;
    }
    accept(p);
    return true;
  }

  // ---------------------------------------------------------------- execution

  /** Places a validated order: takes its nonce slot, then parks or executes it. */
  private void accept(PlaceOrder p) {
    MarketState m = markets[p.market()];
    int i = nonceSlots.find(p.account(), p.nonce());
    long filled = 0;
    if (i >= 0) {
      long held = nonceSlots.nonceAt(p.account(), i);
      long state = nonceSlots.stateAt(p.account(), i);
      if (held < p.nonce() && state > 0) {
        removeLive(live.byId.get(state), CloseReason.NONCE_SLOT_TAKEN_OVER);
      } else if (held == p.nonce()) {
        filled = nonceSlots.filledAt(p.account(), i);
      }
    }
    Order o = live.newOrder();
    o.account = p.account();
    o.market = p.market();
    o.side = p.side();
    o.type = p.type();
    o.timeInForce = p.timeInForce();
    o.reduceOnly = p.reduceOnly();
    o.clientOrderId = p.clientOrderId();
    o.price = p.price();
    o.signedSize = p.size();
    o.remaining = p.size();
    o.feeCap = p.feeCap();
    o.expiry = p.expiry();
    o.nonce = p.nonce();
    o.trigger = p.trigger();
    o.triggerPrice = p.triggerPrice();
    nonceSlots.set(p.account(), p.nonce(), filled, o.orderId);
    live.index(o);
    listener.onOrderAccepted(o);
    if (o.trigger != TriggerType.NONE) {
      o.parked = true;
      m.parked.add(o);
      live.expiries.add(o);
      return;
    }
    execute(m, o);
  }

  void execute(MarketState m, Order o) {
    int result = m.book.match(o, selfTradePrevention, fills);
    if (o.remaining == 0) {
      finish(o, CloseReason.FILLED);
    } else if (result == OrderBook.STOPPED_BY_SELF_TRADE) {
      finish(o, CloseReason.SELF_TRADE);
    } else if (result == OrderBook.STOPPED_BY_TAKER_CHECK) {
      finish(o, CloseReason.POST_TRADE_CHECK_FAILED); // its remainder never rests
    } else if (o.type == OrderType.LIMIT
        && (o.timeInForce == TimeInForce.GTC || o.timeInForce == TimeInForce.POST_ONLY)) {
      m.book.add(o);
      live.expiries.add(o);
    } else {
      finish(o, CloseReason.IMMEDIATE_REMAINDER);
    }
  }

  /** Takes a live order off its book or parked list, then finishes it. */
  void removeLive(Order o, CloseReason reason) {
    MarketState m = markets[o.market];
    if (o.parked) {
      m.parked.remove(o);
    } else {
      m.book.remove(o);
    }
    finish(o, reason);
  }

  /** Forgets an order that is on no book: indexes, nonce slot state, event, pool. */
  void finish(Order o, CloseReason reason) {
    live.forget(o);
    int i = nonceSlots.find(o.account, o.nonce);
    if (i >= 0 && nonceSlots.nonceAt(o.account, i) == o.nonce) {
      nonceSlots.setState(
          o.account,
          i,
          reason == CloseReason.IMMEDIATE_REMAINDER ? NonceSlots.OPEN : NonceSlots.CLOSED);
    }
    listener.onOrderClosed(o, reason);
    live.recycle(o);
  }

  // ---------------------------------------------------------------- helpers

  CoreListener listener() {
    return listener;
  }

  /**
   * True if the verdict accepts; otherwise rejects with its reason and message. The accepting case
   * is an identity test: the hot path never names {@link Verdict.Rejected}, a class that a run
   * without rejections never loads (an {@code instanceof} against an unloaded class makes the JIT
   * trap and recompile).
   */
  boolean passes(Verdict verdict) {
    if (verdict.accepted()) {
      return true;
    }
    Verdict.Rejected r = (Verdict.Rejected) verdict;
    return reject(r.reason(), r.message());
  }

  boolean reject(RejectReason reason, String message) {
    lastRejectReason = reason;
    lastRejectMessage = message;
    listener.onRejected(reason, message);
    return false;
  }

  String unknownMarket(int id) {
    return "market "
        + id
        + " is not listed; listed markets: "
        + java.util.Arrays.toString(marketIds());
  }

  private static String unknownOrder(int account, boolean byClientId, long id) {
    return "account "
        + account
        + " has no live order with "
        + (byClientId ? "client order id " : "order id ")
        + id;
  }

  // ---------------------------------------------------------------- restore support

  /** Re-creates a live order from a snapshot (books are restored in priority order). */
  void restoreOrder(Order o, boolean parked) {
    MarketState m = markets[o.market];
    live.index(o);
    o.parked = parked;
    if (parked) {
      m.parked.add(o);
    } else {
      m.book.add(o);
    }
    live.expiries.add(o);
  }
}
