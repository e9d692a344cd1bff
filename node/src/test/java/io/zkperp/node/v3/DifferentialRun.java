package io.zkperp.node.v3;

import static io.zkperp.node.v3.Deployment.ACCOUNTS;
import static io.zkperp.node.v3.Deployment.BASE_PRICE;
import static io.zkperp.node.v3.Deployment.DOMAIN;
import static io.zkperp.node.v3.Deployment.MARKETS;

import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.JavaSignatureVerifier;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.CancelOrderMessage;
import io.zkperp.protocol.message.TransferMessage;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.CancelOrder;
import io.zkperp.sequencer.command.CancelReplace;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.SignedTransferCollateral;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeded engine run of the differential test: a real {@link SequencerCore} with a real {@link
 * RiskEngine} (signed oracle, derived funding, two fee tiers), the intake's signature checks done
 * as the pipeline does them (orders with {@link OrderSigning#verify}, oracle batches with the
 * aggregator's {@code verifySignatures}), every accepted command translated by a {@link
 * CommandTranslator} and settled by a {@link V3Settler} on a real RocksDB {@link StateStoreV2}.
 * Confined to the test's thread.
 */
final class DifferentialRun implements AutoCloseable {
  static final SignatureVerifier VERIFIER = new JavaSignatureVerifier(1);
  static final long NONCE_WINDOW = 1L << 12;

  final SplittableRandom rnd;
  final RiskEngine engine =
      new RiskEngine(
          Deployment.risk(), LiquidationConfig.DEFAULT, Deployment.oracle(), Deployment.funding());
  final EventCollector events = new EventCollector();
  final SequencerCore core =
      new SequencerCore(
          OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, engine, events);
  final StateStoreV2 store;
  final CommandTranslator translator;
  final V3Settler settler;
  final long[] price = BASE_PRICE.clone();
  final long[] lastReportTs = new long[BASE_PRICE.length];
  final long[] txNonce = new long[ACCOUNTS];
  final long[] orderNonce = new long[ACCOUNTS];

  /** The last client ids (= nonces) of each account's orders, for cancels and replacements. */
  final List<List<Long>> recent = new ArrayList<>();

  /** Where the settled commands are sealed into batches and checked, or null. */
  DifferentialBatches batches;

  long now = 1_000;
  long seq;
  long priorityIndex;

  DifferentialRun(long seed, Path dir) throws Exception {
    rnd = new SplittableRandom(seed);
    for (int a = 0; a < ACCOUNTS; a++) {
      recent.add(new ArrayList<>());
    }
    store =
        StateStoreV2.open(
            dir,
            StateStoreOptions.DEFAULT
                .withBlockCacheBytes(8L << 20)
                .withWriteBufferBytes(8L << 20)
                .withKeptVersions(4));
    EngineGenesis.write(store, Deployment.risk(), Deployment.oracle(), Deployment.funding());
    for (int m : MARKETS) {
      require(new AddMarket(m, 1, 1, 1));
    }
    require(new Tick(now));
    translator = new CommandTranslator(FeeSchedule.of(Deployment.risk()), now);
    settler = new V3Settler(store, DOMAIN);
  }

  private void require(Command c) {
    if (!core.apply(c)) {
      throw new IllegalStateException(c + ": " + core.lastRejectMessage());
    }
    events.drain();
  }

  /** What happened to one command. */
  record Outcome(Command command, boolean accepted, List<SequencerEvent> events, V3Translation t) {}

  /**
   * Passes a command through the intake checks and the core; an accepted one is translated (not
   * settled: the caller settles and checks).
   */
  Outcome submit(Command c) {
    if (!intakeAccepts(c)) {
      return new Outcome(c, false, List.of(), null);
    }
    boolean ok = core.apply(c);
    List<SequencerEvent> produced = events.drain();
    if (!ok) {
      return new Outcome(c, false, produced, null);
    }
    if (c instanceof Tick t) {
      now = t.time();
    }
    V3Translation t = translator.translate(new SettlementInput(++seq, c, produced));
    return new Outcome(c, true, produced, t);
  }

  /** The pipeline's intake: order and report signatures are checked before the core. */
  private boolean intakeAccepts(Command c) {
    return switch (c) {
      case PlaceOrder p ->
          OrderSigning.verify(VERIFIER, Deployment.TRADERS.get(p.account()).publicKey(), DOMAIN, p);
      case SignedOraclePrices s ->
          core.oracleAggregator().verifySignatures(s.market(), s.reports(), VERIFIER, DOMAIN)
              == null;
      default -> true;
    };
  }

  // ---------------------------------------------------------------- commands

  Command tick() {
    return new Tick(now + 5 + rnd.nextInt(36));
  }

  CreditL1Deposit deposit(int account, long amount) {
    EdDsaPrivateKey k = Deployment.TRADERS.get(account);
    return new CreditL1Deposit(
        priorityIndex,
        account,
        Deployment.owner(account),
        k.publicKey().point().x(),
        k.publicKey().point().y(),
        amount);
  }

  /** Bookkeeping after an accepted command of the generator. */
  void accepted(Command c) {
    switch (c) {
      case CreditL1Deposit d -> priorityIndex++;
      case ServeL1ForcedWithdrawal f -> priorityIndex++;
      case SignedWithdrawCollateral w -> txNonce[w.account()]++;
      case SignedTransferCollateral t -> txNonce[t.from()]++;
      case SignedOraclePrices s ->
          lastReportTs[s.market()] =
              s.reports().stream().mapToLong(PriceReport::timestamp).min().orElseThrow();
      default -> {}
    }
  }

  /**
   * A signed price batch for a market around its walking price, 2 or 3 distinct signers, or null
   * when the core's time must move first (reports newer than the last and within the window).
   */
  SignedOraclePrices oracle(int m) {
    long base = Math.max(lastReportTs[m] + 1, now - rnd.nextInt(5));
    if (base > now) {
      return null;
    }
    long p = price[m] + price[m] * (rnd.nextInt(11) - 5) / 1_000;
    price[m] = Math.max(BASE_PRICE[m] * 9 / 10, Math.min(BASE_PRICE[m] * 11 / 10, p));
    int n = 2 + rnd.nextInt(2);
    int skip = n == 3 ? -1 : rnd.nextInt(3);
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      if (s == skip) {
        continue;
      }
      long p32 = (price[m] << 32) + rnd.nextLong(1L << 31) - (1L << 30);
      long ts = Math.min(now, base + rnd.nextInt(3));
      reports.add(PriceReportSigning.sign(DOMAIN, Deployment.ORACLE_SIGNERS.get(s), s, m, p32, ts));
    }
    if (rnd.nextInt(20) == 0) {
      // a forged report: the intake refuses the whole batch
      PriceReport r = reports.get(0);
      reports.set(
          0,
          PriceReportSigning.sign(
              DOMAIN, Deployment.FORGER, r.signer(), m, r.price(), r.timestamp()));
    }
    return new SignedOraclePrices(m, reports);
  }

  SignedWithdrawCollateral withdrawal(int a) {
    return withdrawal(a, 1 + rnd.nextLong(Math.max(1, engine.freeCollateral(a) / 4)));
  }

  /** A withdrawal of exactly the given amount (the free collateral, or one quantum more). */
  SignedWithdrawCollateral withdrawal(int a, long amount) {
    byte[] sig =
        new WithdrawalMessage(a, Deployment.owner(a), amount, txNonce[a])
            .sign(Deployment.TRADERS.get(a), DOMAIN);
    return new SignedWithdrawCollateral(a, amount, txNonce[a], sig);
  }

  SignedTransferCollateral transfer(int a) {
    int to = (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    return transfer(a, to, 1 + rnd.nextLong(Math.max(1, engine.freeCollateral(a) / 4)));
  }

  /** A transfer of exactly the given amount. */
  SignedTransferCollateral transfer(int a, int to, long amount) {
    byte[] sig =
        new TransferMessage(a, to, amount, txNonce[a]).sign(Deployment.TRADERS.get(a), DOMAIN);
    return new SignedTransferCollateral(a, to, amount, txNonce[a], sig);
  }

  ServeL1ForcedWithdrawal forcedWithdrawal(int a) {
    long free = Math.max(1, engine.freeCollateral(a));
    // one time in three more than the free collateral: consumed, pays nothing
    long amount =
        rnd.nextInt(3) == 0 ? free + 1 + rnd.nextLong(free) : 1 + rnd.nextLong(free / 5 + 1);
    return forcedWithdrawal(a, amount);
  }

  /** A forced withdrawal of exactly the given amount. */
  ServeL1ForcedWithdrawal forcedWithdrawal(int a, long amount) {
    return new ServeL1ForcedWithdrawal(priorityIndex, a, Deployment.owner(a), amount);
  }

  /**
   * A cancel-replace of one of the account's live orders (by client id) with a new signed order in
   * the same market and side at another price, or null when it has none.
   */
  CancelReplace cancelReplace(int a) {
    for (int i = 0; i < 8; i++) {
      long clientId = recentClientId(a);
      io.zkperp.sequencer.book.Order live = core.orderByClientId(a, (int) clientId);
      if (live != null && live.trigger == TriggerType.NONE) {
        long nonce = ++orderNonce[a];
        long offset = price[live.market] * (rnd.nextInt(31) - 15) / 1_000;
        PlaceOrder replacement =
            signed(
                Deployment.TRADERS.get(a),
                a,
                live.market,
                live.side,
                nonce,
                OrderType.LIMIT,
                TimeInForce.GTC,
                false,
                1 + rnd.nextInt(30),
                Math.max(1, price[live.market] + offset),
                TriggerType.NONE,
                0);
        return new CancelReplace(a, true, clientId, replacement);
      }
    }
    return null;
  }

  /**
   * A conditional order (stop-loss or take-profit, IOC or GTC) whose trigger lies 0.1–0.5% from the
   * market's price, so that some trigger at a later signed price.
   */
  PlaceOrder conditional() {
    int a = rnd.nextInt(ACCOUNTS);
    int m = MARKETS[rnd.nextInt(MARKETS.length)];
    long pos = engine.position(a, m);
    // one in three with a position: a reduce-only IOC closing (part of) it, as a stop would
    boolean reduceOnly = pos != 0 && rnd.nextInt(3) == 0;
    Side side =
        reduceOnly || Math.abs(pos) > 150
            ? (pos > 0 ? Side.SELL : Side.BUY)
            : rnd.nextBoolean() ? Side.BUY : Side.SELL;
    TriggerType type = rnd.nextBoolean() ? TriggerType.STOP_LOSS : TriggerType.TAKE_PROFIT;
    long d = Math.max(1, price[m] * (1 + rnd.nextInt(5)) / 1_000);
    // stop-loss: a sell below, a buy above; take-profit: the other way
    boolean above = (type == TriggerType.STOP_LOSS) == (side == Side.BUY);
    long trigger = above ? price[m] + d : price[m] - d;
    long limit = side == Side.BUY ? trigger + trigger / 100 : trigger - trigger / 100;
    long nonce = ++orderNonce[a];
    return signed(
        Deployment.TRADERS.get(a),
        a,
        m,
        side,
        nonce,
        OrderType.LIMIT,
        reduceOnly || rnd.nextBoolean() ? TimeInForce.IOC : TimeInForce.GTC,
        reduceOnly,
        reduceOnly ? 1 + rnd.nextLong(Math.abs(pos) + 20) : 1 + rnd.nextInt(30),
        Math.max(1, limit),
        type,
        trigger);
  }

  private long recentClientId(int a) {
    List<Long> r = recent.get(a);
    return r.isEmpty() ? 1 : r.get(rnd.nextInt(r.size()));
  }

  PlaceOrder signed(
      EdDsaPrivateKey key,
      int a,
      int m,
      Side side,
      long nonce,
      OrderType type,
      TimeInForce tif,
      boolean reduceOnly,
      long size,
      long limit,
      TriggerType trigger,
      long triggerPrice) {
    List<Long> r = recent.get(a);
    r.add(nonce);
    if (r.size() > 20) {
      r.remove(0);
    }
    return OrderSigner.sign(
        key, a, m, side, nonce, type, tif, reduceOnly, size, limit, trigger, triggerPrice);
  }

  CancelOrder cancel(int a) {
    long clientId = recentClientId(a);
    for (int i = 0; i < 8 && core.orderByClientId(a, (int) clientId) == null; i++) {
      clientId = recentClientId(a);
    }
    long validUntil = now + 60;
    byte[] sig =
        new CancelOrderMessage(a, true, clientId, validUntil)
            .sign(Deployment.TRADERS.get(a), DOMAIN);
    return new CancelOrder(a, true, clientId, validUntil, sig);
  }

  /** The order kinds of the run. */
  enum Kind {
    GTC,
    IOC,
    POST_ONLY,
    FOK,
    MARKET,
    REDUCE_ONLY,
    BAD_SIGNATURE,
    OVER_LEVERAGED
  }

  /**
   * A signed order of the given kind for a random account and market, its limit within ±1.5% of the
   * market's price; sizes keep every account's position at most 300 (so no liquidation at the run's
   * prices), except for the over-leveraged kind.
   */
  PlaceOrder order(Kind kind) {
    int a = rnd.nextInt(ACCOUNTS);
    int m = MARKETS[rnd.nextInt(MARKETS.length)];
    long pos = engine.position(a, m);
    Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
    long size = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 120 : 30);
    if (kind == Kind.REDUCE_ONLY) {
      if (pos == 0) {
        kind = Kind.IOC;
      } else {
        side = pos > 0 ? Side.SELL : Side.BUY;
        size = 1 + rnd.nextLong(Math.abs(pos));
      }
    }
    long after = pos + (side == Side.BUY ? size : -size);
    if (kind != Kind.OVER_LEVERAGED && Math.abs(after) > 300 && Math.abs(after) > Math.abs(pos)) {
      side = side == Side.BUY ? Side.SELL : Side.BUY;
    }
    if (kind == Kind.OVER_LEVERAGED) {
      size = 4_000 + rnd.nextInt(900);
    }
    long offset = price[m] * (rnd.nextInt(31) - 15) / 1_000;
    long limit = Math.max(1, price[m] + (side == Side.BUY ? offset : -offset));
    if (kind == Kind.MARKET) {
      // worst-price protection 0.5% from the price: deeper makers stay unfilled
      limit = side == Side.BUY ? price[m] * 1_005 / 1_000 : price[m] * 995 / 1_000;
    }
    OrderType type = kind == Kind.MARKET ? OrderType.MARKET : OrderType.LIMIT;
    TimeInForce tif =
        switch (kind) {
          case IOC, MARKET, REDUCE_ONLY, OVER_LEVERAGED -> TimeInForce.IOC;
          case POST_ONLY -> TimeInForce.POST_ONLY;
          case FOK -> TimeInForce.FOK;
          default -> TimeInForce.GTC;
        };
    // one order in 15 jumps a nonce window ahead onto the slot of a recent order (taking it over)
    long nonce =
        rnd.nextInt(15) == 0 ? orderNonce[a] + NONCE_WINDOW - rnd.nextInt(4) : orderNonce[a] + 1;
    orderNonce[a] = Math.max(orderNonce[a], nonce);
    EdDsaPrivateKey key =
        kind == Kind.BAD_SIGNATURE ? Deployment.FORGER : Deployment.TRADERS.get(a);
    return signed(
        key,
        a,
        m,
        side,
        nonce,
        type,
        tif,
        kind == Kind.REDUCE_ONLY,
        size,
        limit,
        TriggerType.NONE,
        0);
  }

  /** A signed limit order of an account at a given price and size. */
  PlaceOrder orderAt(int a, int m, Side side, TimeInForce tif, long size, long limit) {
    long nonce = ++orderNonce[a];
    return signed(
        Deployment.TRADERS.get(a),
        a,
        m,
        side,
        nonce,
        OrderType.LIMIT,
        tif,
        false,
        size,
        limit,
        TriggerType.NONE,
        0);
  }

  @Override
  public void close() {
    store.close();
  }
}
