package io.zkperp.node.v3;

import static io.zkperp.node.v3.Deployment.DOMAIN;

import io.zkperp.node.SettlementInput;
import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.command.Tick;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import io.zkperp.sequencer.risk.oracle.PriceReportSigning;
import io.zkperp.state.StateStoreOptions;
import io.zkperp.state.v2.StateStoreV2;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An engine run that liquidates by signed oracle prices: a real {@link SequencerCore} with a real
 * {@link RiskEngine} (quorum-signed oracle, derived funding, the default {@link LiquidationConfig})
 * over one market whose maintenance margin (2%) is below the oracle's largest move (3%), so that
 * one price can take an account from healthy to bankrupt; every accepted command translated by a
 * {@link CommandTranslator} and settled by a {@link V3Settler} on a real RocksDB {@link
 * StateStoreV2}. Confined to the test's thread.
 */
final class LiquidationRun implements AutoCloseable {
  static final int MARKET = 1;

  /** IMF 5% (no size increment below 1,000), MMF 2%. */
  static final MarketRisk RISK = new MarketRisk(50_000, 20_000, 1_000, 100, 0, 5_000, 50_000);

  static final RiskConfig CONFIG =
      new RiskConfig(Map.of(MARKET, RISK), List.of(new FeeTier(200, 500)), Map.of());

  static final OracleConfig ORACLE =
      new OracleConfig(
          Map.of(
              MARKET,
              new OracleConfig.MarketOracle(
                  Deployment.ORACLE_SIGNERS.stream().map(EdDsaPrivateKey::publicKey).toList(),
                  Deployment.QUORUM,
                  30,
                  5,
                  30_000)));

  /** Derived funding for a market with the given risk parameters. */
  static FundingConfig funding(MarketRisk risk) {
    return new FundingConfig(
        60,
        600,
        Map.of(
            MARKET,
            new FundingConfig.MarketFunding(risk, 5_000, 100, 60_000_000, 6_000_000, 180_000)));
  }

  final RiskEngine engine;
  final EventCollector events = new EventCollector();
  final SequencerCore core;
  final StateStoreV2 store;
  final CommandTranslator translator;
  final V3Settler settler;
  final long[] nonce = new long[Deployment.ACCOUNTS];
  long now = 1_000;
  long seq;
  long priority;

  LiquidationRun(Path dir) throws Exception {
    this(dir, CONFIG, LiquidationConfig.DEFAULT, 1);
  }

  /**
   * A run over market 1 with the given risk configuration (its market 1 entry) and liquidation
   * parameters.
   *
   * @param dir the store's directory
   * @param config the risk configuration
   * @param liquidation the liquidation parameters
   * @param stepSize the market's step size
   */
  LiquidationRun(Path dir, RiskConfig config, LiquidationConfig liquidation, long stepSize)
      throws Exception {
    FundingConfig funding = funding(config.markets().get(MARKET));
    engine = new RiskEngine(config, liquidation, ORACLE, funding);
    core =
        new SequencerCore(
            OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, engine, events);
    store =
        StateStoreV2.open(
            dir,
            StateStoreOptions.DEFAULT
                .withBlockCacheBytes(8L << 20)
                .withWriteBufferBytes(8L << 20)
                .withKeptVersions(4));
    EngineGenesis.write(store, config, ORACLE, funding);
    for (Command c : List.of(new AddMarket(MARKET, 1, stepSize, 1), new Tick(now))) {
      if (!core.apply(c)) {
        throw new IllegalStateException(c + ": " + core.lastRejectMessage());
      }
      events.drain();
    }
    translator = new CommandTranslator(FeeSchedule.of(config), now);
    settler = new V3Settler(store, DOMAIN, liquidation.feePpm());
  }

  /** One accepted command: its events and its translation. */
  record Applied(Command command, List<SequencerEvent> events, V3Translation translation) {}

  /** Applies a command the engine must accept and translates it (not settled). */
  Applied apply(Command c) {
    if (!core.apply(c)) {
      throw new IllegalStateException(c + ": " + core.lastRejectMessage());
    }
    if (c instanceof Tick t) {
      now = t.time();
    }
    List<SequencerEvent> produced = events.drain();
    return new Applied(c, produced, translator.translate(new SettlementInput(++seq, c, produced)));
  }

  CreditL1Deposit deposit(int account, long amount) {
    var k = Deployment.TRADERS.get(account).publicKey().point();
    return new CreditL1Deposit(
        priority++, account, Deployment.owner(account), k.x(), k.y(), amount);
  }

  Command order(int account, Side side, TimeInForce tif, long size, long price) {
    return OrderSigner.sign(
        Deployment.TRADERS.get(account),
        account,
        MARKET,
        side,
        ++nonce[account],
        OrderType.LIMIT,
        tif,
        size,
        price);
  }

  /** The market's price from two signers at the core's time. */
  SignedOraclePrices price(long price) {
    List<PriceReport> reports =
        List.of(
            PriceReportSigning.sign(
                DOMAIN, Deployment.ORACLE_SIGNERS.get(0), 0, MARKET, price << 32, now),
            PriceReportSigning.sign(
                DOMAIN, Deployment.ORACLE_SIGNERS.get(1), 1, MARKET, price << 32, now));
    return new SignedOraclePrices(MARKET, reports);
  }

  @Override
  public void close() {
    store.close();
  }
}
