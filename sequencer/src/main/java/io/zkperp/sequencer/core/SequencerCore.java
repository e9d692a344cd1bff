package io.zkperp.sequencer.core;

import io.zkperp.sequencer.CloseReason;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.MatchListener;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.command.TransferCollateral;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
  private final OrderValidator validator = new OrderValidator(this);
  private CoreListener listener;

  MarketState[] markets = new MarketState[16];
  final LongObjectHashMap<Order> ordersById = new LongObjectHashMap<>(4096);
  final LongObjectHashMap<Order> ordersByClientId = new LongObjectHashMap<>(4096);
  final LongLongHashMap positions = new LongLongHashMap(4096);
  final NonceSlots nonceSlots = new NonceSlots();
  final ExpiryQueue expiries = new ExpiryQueue();
  private final ArrayDeque<Order> pool = new ArrayDeque<>();
  final Fills fills = new Fills();
  private final Liquidations liquidations = new Liquidations();
  long time;
  long nextOrderId = 1;

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
      case OraclePrice o -> oraclePrice(o);
      case Tick t -> tick(t);
      case AddMarket m -> addMarket(m);
      case DepositCollateral d -> collateral(d.account(), d.amount(), true);
      case WithdrawCollateral w -> collateral(w.account(), w.amount(), false);
      case FundingTick f -> fundingTick(f);
      case TransferCollateral t -> transfer(t);
      case SignedOraclePrices s -> signedOraclePrices(s);
      case TopUpInsuranceFund f -> {
        String message = risk.topUpInsuranceFund(f.amount());
        yield message == null || reject(risk.rejectReason(), message);
      }
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
    return ordersById.get(orderId);
  }

  /**
   * A live order by account and client order id.
   *
   * @param account the account
   * @param clientOrderId the client order id
   * @return the order (read it now), or null
   */
  public Order orderByClientId(int account, int clientOrderId) {
    return ordersByClientId.get(clientKey(account, clientOrderId));
  }

  /**
   * Number of live orders (resting and parked).
   *
   * @return the count
   */
  public int liveOrderCount() {
    return ordersById.size();
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

  static long clientKey(int account, int clientOrderId) {
    return ((long) account << 32) | Integer.toUnsignedLong(clientOrderId);
  }

  MarketState market(int id) {
    return id >= 0 && id < markets.length ? markets[id] : null;
  }

  // ---------------------------------------------------------------- commands

  private boolean addMarket(AddMarket m) {
    if (m.market() < 0 || m.market() > 0xFFFF) {
      return reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "market id " + m.market() + " is out of range; market ids are 0 to 65535");
    }
    if (market(m.market()) != null) {
      return reject(RejectReason.MARKET_EXISTS, "market " + m.market() + " is already listed");
    }
    if (m.tickSize() <= 0 || m.stepSize() <= 0 || m.minSize() <= 0) {
      return reject(
          RejectReason.INVALID_MARKET_PARAMETERS,
          "tick size "
              + m.tickSize()
              + ", step size "
              + m.stepSize()
              + " and minimum size "
              + m.minSize()
              + " must all be > 0");
    }
    if (m.minSize() % m.stepSize() != 0) {
      return reject(
          RejectReason.INVALID_MARKET_PARAMETERS,
          "minimum size "
              + m.minSize()
              + " is not a multiple of step size "
              + m.stepSize()
              + "; use "
              + roundUp(m.minSize(), m.stepSize()));
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
    while ((o = expiries.peek()) != null && o.expiry <= time) {
      removeLive(o, CloseReason.EXPIRED);
    }
    risk.onTick(time, this::book); // funding samples and derived ticks, after the expiries
    return true;
  }

  private boolean collateral(int account, long amount, boolean deposit) {
    if (account < 0) {
      return reject(
          RejectReason.FIELD_OUT_OF_RANGE, "account " + account + " is negative; accounts are ≥ 0");
    }
    String message = deposit ? risk.deposit(account, amount) : risk.withdraw(account, amount);
    return message == null || reject(risk.rejectReason(), message);
  }

  private boolean transfer(TransferCollateral t) {
    if (t.from() < 0 || t.to() < 0 || t.from() == t.to()) {
      return reject(
          RejectReason.FIELD_OUT_OF_RANGE,
          "transfer from account "
              + t.from()
              + " to account "
              + t.to()
              + ": accounts must be ≥ 0 and different");
    }
    String message = risk.transfer(t.from(), t.to(), t.amount());
    return message == null || reject(risk.rejectReason(), message);
  }

  private boolean fundingTick(FundingTick f) {
    if (market(f.market()) == null) {
      return reject(RejectReason.UNKNOWN_MARKET, unknownMarket(f.market()));
    }
    String message = risk.fundingTick(f.market(), f.indexDelta(), f.timestamp());
    if (message != null) {
      return reject(risk.rejectReason(), message);
    }
    risk.liquidate(f.market(), liquidations);
    return true;
  }

  private boolean oraclePrice(OraclePrice op) {
    MarketState m = market(op.market());
    if (m == null) {
      return reject(RejectReason.UNKNOWN_MARKET, unknownMarket(op.market()));
    }
    if (op.price() <= 0) {
      return reject(
          RejectReason.INVALID_ORACLE_PRICE, "oracle price " + op.price() + " must be > 0");
    }
    if (op.timestamp() < m.oracleTimestamp) {
      return reject(
          RejectReason.INVALID_ORACLE_PRICE,
          "oracle timestamp "
              + op.timestamp()
              + " is before the market's last one "
              + m.oracleTimestamp
              + "; use ≥ "
              + m.oracleTimestamp);
    }
    String riskMessage = risk.oraclePrice(op.market(), op.price(), op.timestamp());
    if (riskMessage != null) {
      return reject(risk.rejectReason(), riskMessage);
    }
    m.oraclePrice = op.price();
    m.oracleTimestamp = op.timestamp();
    priceApplied(m);
    return true;
  }

  /**
   * A batch of signed price reports: the risk hook validates it against its oracle configuration at
   * the core's journaled time (signatures were verified at intake) and, if accepted, the median
   * (32.32) is the market's price. The core keeps {@code ⌈p / 2^32⌉} as its integer oracle price
   * (non-zero for every accepted price; shown in messages); trigger prices are compared exactly
   * against p ({@link TriggerType#triggersFixed}). Then, as for {@link OraclePrice}: triggered
   * orders, then liquidation.
   */
  private boolean signedOraclePrices(SignedOraclePrices s) {
    MarketState m = market(s.market());
    if (m == null) {
      return reject(RejectReason.UNKNOWN_MARKET, unknownMarket(s.market()));
    }
    OracleResult r = risk.signedOraclePrices(s.market(), s.reports(), time);
    if (r instanceof OracleResult.Rejected rej) {
      return reject(oracleReason(rej), rej.reason() + ": " + rej.message());
    }
    OracleResult.Accepted a = (OracleResult.Accepted) r;
    long p = a.price();
    m.oraclePrice = (p >> 32) + ((p & 0xFFFF_FFFFL) != 0 ? 1 : 0);
    m.oracleTimestamp = a.timestamp();
    priceApplied(m);
    return true;
  }

  /**
   * The typed reason of a rejected signed batch.
   *
   * @param r the aggregator's rejection
   * @return the matching {@code ORACLE_*} reason
   */
  public static RejectReason oracleReason(OracleResult.Rejected r) {
    return switch (r.reason()) {
      case MARKET_NOT_CONFIGURED -> RejectReason.ORACLE_MARKET_NOT_CONFIGURED;
      case MARKET_MISMATCH -> RejectReason.ORACLE_MARKET_MISMATCH;
      case UNKNOWN_SIGNER -> RejectReason.ORACLE_UNKNOWN_SIGNER;
      case DUPLICATE_SIGNER -> RejectReason.ORACLE_DUPLICATE_SIGNER;
      case NON_POSITIVE_PRICE -> RejectReason.ORACLE_NON_POSITIVE_PRICE;
      case STALE -> RejectReason.ORACLE_STALE;
      case FUTURE_TIMESTAMP -> RejectReason.ORACLE_FUTURE_TIMESTAMP;
      case QUORUM_NOT_MET -> RejectReason.ORACLE_QUORUM_NOT_MET;
      case NOT_NEWER -> RejectReason.ORACLE_NOT_NEWER;
      case BAD_SIGNATURE -> RejectReason.ORACLE_BAD_SIGNATURE;
      case MOVE_TOO_LARGE -> RejectReason.ORACLE_MOVE_TOO_LARGE;
    };
  }

  /**
   * Whether a conditional order's trigger is reached at the market's oracle price: exactly against
   * the risk hook's 32.32 price when it keeps one, else against the core's integer price.
   */
  boolean triggerReached(TriggerType trigger, Side side, long triggerPrice, MarketState m) {
    long fixed = risk.oraclePriceFixed(m.id);
    return fixed > 0
        ? trigger.triggersFixed(side, triggerPrice, fixed)
        : trigger.triggers(side, triggerPrice, m.oraclePrice);
  }

  /** After a new oracle price: the triggered conditional orders, then liquidation. */
  private void priceApplied(MarketState m) {
    if (m.parked.isEmpty()) {
      risk.liquidate(m.id, liquidations);
      return;
    }
    List<Order> triggered = new ArrayList<>();
    m.parked.removeIf(
        o -> {
          if (triggerReached(o.trigger, o.side, o.triggerPrice, m)) {
            triggered.add(o);
            return true;
          }
          return false;
        });
    for (Order o : triggered) {
      o.parked = false;
      expiries.remove(o);
      listener.onOrderTriggered(o);
      runTriggered(m, o);
    }
    risk.liquidate(m.id, liquidations);
  }

  private void runTriggered(MarketState m, Order o) {
    if (o.reduceOnly) {
      long pos = position(o.account, o.market);
      boolean reduces = o.side == Side.BUY ? pos < 0 : pos > 0;
      if (!reduces) {
        finish(o, CloseReason.TRIGGER_NOT_EXECUTABLE);
        return;
      }
      o.remaining = Math.min(o.remaining, Math.abs(pos));
    }
    // the risk pre-check again, at the trigger's oracle price (placement was checked at the then
    // price): a triggered order that would now fail it is closed unexecuted
    if (risk.preCheck(
            o.account, o.market, o.side, o.remaining, o.price, position(o.account, o.market))
        != null) {
      finish(o, CloseReason.TRIGGER_NOT_EXECUTABLE);
      return;
    }
    if (o.timeInForce == TimeInForce.POST_ONLY && m.book.wouldCross(o.isBuy(), o.price, 0)) {
      finish(o, CloseReason.TRIGGER_NOT_EXECUTABLE);
      return;
    }
    if (o.timeInForce == TimeInForce.FOK
        && m.book.fillable(
                o.isBuy(), o.price, o.account, selfTradePrevention, 0, o.remaining, fills)
            < o.remaining) {
      finish(o, CloseReason.TRIGGER_NOT_EXECUTABLE);
      return;
    }
    execute(m, o);
  }

  private boolean cancel(CancelOrder c) {
    Order o = findOwned(c.account(), c.byClientOrderId(), c.id());
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
    List<Order> mine = new ArrayList<>();
    ordersById.forEachValue(
        o -> {
          if (o.account == a.account()
              && (a.market() == CancelAll.ALL_MARKETS || o.market == a.market())) {
            mine.add(o);
          }
        });
    mine.sort(Comparator.comparingLong(o -> o.orderId));
    for (Order o : mine) {
      removeLive(o, CloseReason.CANCELLED);
    }
    return true;
  }

  private boolean cancelReplace(CancelReplace r) {
    Order old = findOwned(r.account(), r.byClientOrderId(), r.id());
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
    if (!validator.validate(p, old.orderId)) {
      return false;
    }
    removeLive(old, CloseReason.REPLACED);
    accept(p);
    return true;
  }

  private boolean place(PlaceOrder p) {
    if (!validator.validate(p, 0)) {
      return false;
    }
    accept(p);
    return true;
  }

  private Order findOwned(int account, boolean byClientId, long id) {
    Order o;
    if (byClientId) {
      if (id < 0 || id > 0xFFFF_FFFFL) {
        return null;
      }
      o = ordersByClientId.get(clientKey(account, (int) id));
    } else {
      o = ordersById.get(id);
    }
    return o != null && o.account == account ? o : null;
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
        removeLive(ordersById.get(state), CloseReason.NONCE_SLOT_TAKEN_OVER);
      } else if (held == p.nonce()) {
        filled = nonceSlots.filledAt(p.account(), i);
      }
    }
    Order o = pool.pollLast();
    if (o == null) {
      o = new Order();
    }
    o.orderId = nextOrderId++;
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
    ordersById.put(o.orderId, o);
    ordersByClientId.put(clientKey(o.account, o.clientOrderId), o);
    listener.onOrderAccepted(o);
    if (o.trigger != TriggerType.NONE) {
      o.parked = true;
      m.parked.add(o);
      expiries.add(o);
      return;
    }
    execute(m, o);
  }

  private void execute(MarketState m, Order o) {
    int result = m.book.match(o, selfTradePrevention, fills);
    if (o.remaining == 0) {
      finish(o, CloseReason.FILLED);
    } else if (result == OrderBook.STOPPED_BY_SELF_TRADE) {
      finish(o, CloseReason.SELF_TRADE);
    } else if (o.type == OrderType.LIMIT
        && (o.timeInForce == TimeInForce.GTC || o.timeInForce == TimeInForce.POST_ONLY)) {
      m.book.add(o);
      expiries.add(o);
    } else {
      finish(o, CloseReason.IMMEDIATE_REMAINDER);
    }
  }

  /** Takes a live order off its book or parked list, then finishes it. */
  private void removeLive(Order o, CloseReason reason) {
    MarketState m = markets[o.market];
    if (o.parked) {
      m.parked.remove(o);
    } else {
      m.book.remove(o);
    }
    finish(o, reason);
  }

  /** Forgets an order that is on no book: indexes, nonce slot state, event, pool. */
  private void finish(Order o, CloseReason reason) {
    expiries.remove(o);
    ordersById.remove(o.orderId);
    long ck = clientKey(o.account, o.clientOrderId);
    if (ordersByClientId.get(ck) == o) {
      ordersByClientId.remove(ck);
    }
    int i = nonceSlots.find(o.account, o.nonce);
    if (i >= 0 && nonceSlots.nonceAt(o.account, i) == o.nonce) {
      nonceSlots.setState(
          o.account,
          i,
          reason == CloseReason.IMMEDIATE_REMAINDER ? NonceSlots.OPEN : NonceSlots.CLOSED);
    }
    listener.onOrderClosed(o, reason);
    o.clear();
    pool.addLast(o);
  }

  /** Match callbacks: positions, nonce fills, settlement, events. */
  final class Fills implements MatchListener {
    @Override
    public void onFill(Order maker, Order taker, long price, long size) {
      long signed = taker.isBuy() ? size : -size;
      positions.add(positionKey(taker.account, taker.market), signed);
      positions.add(positionKey(maker.account, maker.market), -signed);
      addFilled(maker, size);
      if (!taker.liquidation) {
        addFilled(taker, size);
      }
      listener.onFill(maker, taker, price, size); // the Fill event first, then the risk records
      risk.settle(maker, taker, price, size);
    }

    @Override
    public void onMakerRemoved(Order maker, boolean selfTrade) {
      finish(maker, selfTrade ? CloseReason.SELF_TRADE : CloseReason.FILLED);
    }

    @Override
    public boolean admitMaker(Order maker, long price, long size) {
      return risk.admitMakerFill(maker.account, maker.market, maker.side, size, price);
    }

    @Override
    public void onMakerRejected(Order maker) {
      finish(maker, CloseReason.POST_TRADE_CHECK_FAILED);
    }

    private void addFilled(Order o, long size) {
      nonceSlots.addFilled(o.account, nonceSlots.find(o.account, o.nonce), size);
    }
  }

  /** What the risk hook may do while it liquidates (see {@link LiquidationActions}). */
  private final class Liquidations implements LiquidationActions {
    @Override
    public void cancelOrders(int account) {
      List<Order> mine = new ArrayList<>();
      ordersById.forEachValue(
          o -> {
            if (o.account == account) {
              mine.add(o);
            }
          });
      mine.sort(Comparator.comparingLong(o -> o.orderId));
      for (Order o : mine) {
        removeLive(o, CloseReason.LIQUIDATION);
      }
    }

    @Override
    public long liquidationOrder(int account, int market, Side side, long size, long limitPrice) {
      MarketState m = markets[market];
      Order o = pool.pollLast();
      if (o == null) {
        o = new Order();
      }
      o.orderId = nextOrderId++;
      o.account = account;
      o.market = market;
      o.side = side;
      o.type = OrderType.LIMIT;
      o.timeInForce = TimeInForce.IOC;
      o.price = limitPrice;
      o.signedSize = size;
      o.remaining = size;
      o.trigger = TriggerType.NONE;
      o.liquidation = true;
      m.book.match(o, selfTradePrevention, fills);
      long filled = size - o.remaining;
      o.clear();
      pool.addLast(o);
      return filled;
    }

    @Override
    public void movePosition(int account, int counterparty, int market, long delta) {
      positions.add(positionKey(account, market), delta);
      positions.add(positionKey(counterparty, market), -delta);
    }

    @Override
    public long stepSize(int market) {
      return markets[market].stepSize;
    }

    @Override
    public void emit(SequencerEvent event) {
      listener.onRiskEvent(event);
    }
  }

  // ---------------------------------------------------------------- helpers

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

  private static long roundUp(long value, long step) {
    return (value + step - 1) / step * step;
  }

  // ---------------------------------------------------------------- restore support

  /** Re-creates a live order from a snapshot (books are restored in priority order). */
  void restoreOrder(Order o, boolean parked) {
    MarketState m = markets[o.market];
    ordersById.put(o.orderId, o);
    ordersByClientId.put(clientKey(o.account, o.clientOrderId), o);
    o.parked = parked;
    if (parked) {
      m.parked.add(o);
    } else {
      m.book.add(o);
    }
    expiries.add(o);
  }
}
