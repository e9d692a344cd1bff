package io.zkperp.node.v3;

import io.zkperp.batcher.v3.witness.BatchShape;
import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.WithdrawalMessage;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;
import io.zkperp.sequencer.command.ServeL1ForcedWithdrawal;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.SignedWithdrawCollateral;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine of the fixture deployment (chain id 31337, rollup {@code 0x9fE4…a6e0}: the v3-tiny
 * keys cached in ~/.cache/zkperp/keys are for it) driven command by command through the whole v3
 * settlement: a real {@link SequencerCore} + {@link RiskEngine} (markets 1 and 2 — the v3-tiny
 * table holds ids 0 … 2 — with a 2-of-3 signed oracle, no derived funding: a funding period start
 * has no format v3 slot group in the Java encoder, so funding comes from operator {@code
 * FundingTick}s, which layout v2 bounds to Δindex = 0 for a market without a funding rate), each
 * accepted command translated ({@link CommandTranslator}), settled on a real RocksDB {@link
 * StateStoreV2} ({@link V3Settler#settleForBatch}) and added to a v3-tiny {@link BatchAssembler}.
 * Confined to the test's thread.
 */
final class FixtureChain implements AutoCloseable {
  static final MessageDomain DOMAIN =
      MessageDomain.of(31_337, L1Address.fromHex("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"));
  static final String SHAPE_NAME = "v3-tiny";

  /**
   * v3-tiny (prover/shapes.go, the node's {@link V3Shapes}): 2 trades, 1 deposit, 1 withdrawal, 1
   * transfer, 1 forced withdrawal, 1 oracle tick, 1 funding tick, 1 liquidation fill, 1 takeover, 1
   * deleveraging, 1 funding period start.
   */
  static final BatchShape V3_TINY = V3Shapes.shape(SHAPE_NAME);

  static final List<EdDsaPrivateKey> SIGNERS = Deployment.ORACLE_SIGNERS;

  final EventCollector events = new EventCollector();
  final RiskEngine engine = new RiskEngine(risk(), LiquidationConfig.DEFAULT, oracle(), null);
  final SequencerCore core =
      new SequencerCore(
          OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, engine, events);
  final StateStoreV2 store;
  final CommandTranslator translator;
  final V3Settler settler;
  final BatchAssembler assembler;
  final Fr genesisRoot;
  final List<SealedBatchV3> sealed = new ArrayList<>();

  /** Every command given to the translator with its events, as a journal replay offers them. */
  final List<SettlementInput> inputs = new ArrayList<>();

  /** The state root after each settled command, by journal sequence. */
  private final Map<Long, Fr> rootsAfter = new HashMap<>();

  /** For each sealed batch (by number), the time of the assembler call that sealed it. */
  private final Map<Long, Long> sealNanos = new HashMap<>();

  long now;
  long seq;
  int steps;

  FixtureChain(Path dir, long start) throws Exception {
    this(dir, start, SHAPE_NAME);
  }

  /** A chain whose assembler seals batches of another node shape (the settlement is the same). */
  FixtureChain(Path dir, long start, String shapeName) throws Exception {
    store =
        StateStoreV2.open(
            dir,
            StateStoreOptions.DEFAULT
                .withBlockCacheBytes(8L << 20)
                .withWriteBufferBytes(8L << 20)
                .withKeptVersions(4));
    genesisRoot = EngineGenesis.write(store, risk(), oracle(), null).stateRoot();
    for (int m = 1; m <= 2; m++) {
      require(new AddMarket(m, 1, 1, 1));
    }
    now = start;
    require(new Tick(now));
    translator = new CommandTranslator(FeeSchedule.of(risk()), now);
    settler = new V3Settler(store, DOMAIN);
    assembler =
        new BatchAssembler(
            shapeName, V3Shapes.shape(shapeName), DOMAIN, 1, Fr.ZERO, genesisRoot, 0);
  }

  /** Markets 1 and 2 of the differential deployment; its two fee tiers. */
  static RiskConfig risk() {
    RiskConfig all = Deployment.risk();
    Map<Integer, MarketRisk> markets = new HashMap<>(all.markets());
    markets.remove(3);
    return new RiskConfig(markets, all.tiers(), all.accountTiers());
  }

  /** 2 of the 3 signers, 30 s maximum age, 5 s maximum future, 3% maximum move. */
  static OracleConfig oracle() {
    OracleConfig.MarketOracle m =
        new OracleConfig.MarketOracle(
            SIGNERS.stream().map(EdDsaPrivateKey::publicKey).toList(), 2, 30, 5, 30_000);
    return new OracleConfig(Map.of(1, m, 2, m));
  }

  private void require(Command c) {
    if (!core.apply(c)) {
      throw new IllegalStateException(c + ": " + core.lastRejectMessage());
    }
    events.drain();
  }

  /**
   * Applies a command the engine must accept, translates, settles and adds it to the open batch.
   *
   * @return the events it produced
   */
  List<SequencerEvent> apply(Command c) throws Exception {
    if (!core.apply(c)) {
      throw new IllegalStateException(c + " refused: " + core.lastRejectMessage());
    }
    List<SequencerEvent> produced = events.drain();
    if (c instanceof Tick t) {
      now = t.time();
    }
    SettlementInput in = new SettlementInput(++seq, c, produced);
    inputs.add(in);
    V3Translation t = translator.translate(in);
    if (!(t instanceof V3Translation.Steps s)) {
      throw new IllegalStateException(c + " is unprovable: " + t);
    }
    SettledCommand settled = settler.settleForBatch(s);
    rootsAfter.put(seq, settled.roots().stateRoot());
    steps += s.steps().size();
    long start = System.nanoTime();
    List<SealedBatchV3> out = assembler.add(settled);
    long took = System.nanoTime() - start;
    out.forEach(b -> sealNanos.put(b.batchNumber(), took));
    sealed.addAll(out);
    return produced;
  }

  /** Seals the open batch at the engine's time. */
  SealedBatchV3 seal() throws Exception {
    long start = System.nanoTime();
    SealedBatchV3 b = assembler.seal(now);
    if (b != null) {
      sealNanos.put(b.batchNumber(), System.nanoTime() - start);
      sealed.add(b);
    }
    return b;
  }

  /** The state root after a settled command. */
  Fr rootAfter(long commandSeq) {
    return rootsAfter.get(commandSeq);
  }

  /** How long the assembler call that sealed a batch took. */
  double sealMillis(long batchNumber) {
    return sealNanos.getOrDefault(batchNumber, 0L) / 1e6;
  }

  static EdDsaPrivateKey key(int account) {
    return Deployment.TRADERS.get(account);
  }

  static CreditL1Deposit deposit(long priorityIndex, int account, L1Address owner, long amount) {
    EdDsaPrivateKey k = key(account);
    return new CreditL1Deposit(
        priorityIndex,
        account,
        owner,
        k.publicKey().point().x(),
        k.publicKey().point().y(),
        amount);
  }

  /** Reports of signers 0 and 1 at the engine's time, at an integer price. */
  SignedOraclePrices oracle(int market, long price) {
    List<PriceReport> reports = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      reports.add(PriceReportSigning.sign(DOMAIN, SIGNERS.get(s), s, market, price << 32, now));
    }
    return new SignedOraclePrices(market, reports);
  }

  /** A signed limit order; the client id is the nonce. */
  static PlaceOrder order(
      int account, int market, Side side, TimeInForce tif, long size, long price, long nonce) {
    PlaceOrder o =
        new PlaceOrder(
            account,
            market,
            side,
            (int) nonce,
            OrderType.LIMIT,
            tif,
            false,
            size,
            price,
            1_000,
            Long.MAX_VALUE,
            nonce,
            TriggerType.NONE,
            0,
            new byte[PlaceOrder.SIGNATURE_BYTES]);
    return OrderSigning.sign(key(account), DOMAIN, o);
  }

  /** A withdrawal signed in format 2 in the fixture domain. */
  static SignedWithdrawCollateral withdrawal(
      int account, L1Address owner, long amount, long nonce) {
    byte[] sig = new WithdrawalMessage(account, owner, amount, nonce).sign(key(account), DOMAIN);
    return new SignedWithdrawCollateral(account, amount, nonce, sig);
  }

  /** A forced withdrawal requested on L1, served to the account's owner. */
  static ServeL1ForcedWithdrawal forcedWithdrawal(
      long priorityIndex, int account, L1Address owner, long amount) {
    return new ServeL1ForcedWithdrawal(priorityIndex, account, owner, amount);
  }

  /**
   * Opens a position the next price liquidates: the maker (account 1, 1,000,000 deposited) sells
   * 100 of market 1 at 10,000 to the taker (account 2, 52,000 deposited: the 5 % initial margin of
   * 1,000,000 and the fee), which buys with an IOC order; priority operations 0 and 1, then a tick
   * of 5 s and the price 10,000. A price 2.9 % lower (the oracle moves at most 3 %) 10 s later
   * leaves the taker's equity below its 3 % maintenance margin: {@link #liquidatingPrice}.
   */
  void openALongTheNextPriceLiquidates(L1Address maker, L1Address taker) throws Exception {
    apply(deposit(0, 1, maker, 1_000_000));
    apply(deposit(1, 2, taker, 52_000));
    apply(new Tick(now + 5));
    apply(oracle(1, 10_000));
    apply(order(1, 1, Side.SELL, TimeInForce.GTC, 100, 10_000, 1));
    apply(order(2, 1, Side.BUY, TimeInForce.IOC, 100, 10_000, 1));
    if (engine.position(2, 1) != 100) {
      throw new IllegalStateException("the taker holds " + engine.position(2, 1));
    }
  }

  /**
   * After {@link #openALongTheNextPriceLiquidates}: a tick of 10 s (applied) and the price 9,710
   * (not applied), the command whose steps liquidate the taker (equity 52,000 − 400 fee − 29,000 =
   * 22,600 below the maintenance margin 29,130).
   */
  SignedOraclePrices liquidatingPrice() throws Exception {
    apply(new Tick(now + 10));
    return oracle(1, 9_710);
  }

  @Override
  public void close() {
    store.close();
  }
}
