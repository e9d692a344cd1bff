package io.zkperp.bench.exchangecore;

import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.MatcherEventType;
import exchange.core2.core.common.MatcherTradeEvent;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.api.binary.BatchAddSymbolsCommand;
import exchange.core2.core.common.api.binary.BinaryDataCommand;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.cmd.OrderCommandType;
import exchange.core2.core.common.config.ExchangeConfiguration;
import exchange.core2.core.common.config.OrdersProcessingConfiguration;
import exchange.core2.core.common.config.PerformanceConfiguration;
import exchange.core2.core.processors.MatchingEngineRouter;
import exchange.core2.core.processors.RiskEngine;
import exchange.core2.core.processors.SharedPool;
import exchange.core2.core.processors.journaling.DummySerializationProcessor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * exchange-core's three stages for one command, called in the order its pipeline runs them, on the
 * calling thread: risk pre-processing ({@code RiskEngine.preProcessCommand}, R1), matching ({@code
 * MatchingEngineRouter.processOrder}, ME), risk release and settlement ({@code
 * RiskEngine.handlerRiskRelease}, R2); then what its grouping stage does between commands (the
 * command's trade events returned to the shared pool in chains, market data dropped). One shard of
 * each; margin trading on; the order book exchange-core's throughput configuration uses ({@code
 * OrderBookDirectImpl}). The symbol is added through the stages' own binary-command handler
 * (reflection, set-up only); users and balances through R1 as exchange-core's API sends them. One
 * thread.
 */
final class OneThreadExchange {
  static final int CURRENCY = 1;
  private static final int CHAIN_LENGTH = 1024;

  private final RiskEngine risk;
  private final MatchingEngineRouter matching;
  private final SharedPool pool;
  private final OrderCommand cmd = new OrderCommand();
  private MatcherTradeEvent chainHead;
  private MatcherTradeEvent chainTail;
  private int chainLength;
  private long seq;
  private long trades;
  private long rejected;

  OneThreadExchange(int users, long balance) {
    ExchangeConfiguration cfg =
        ExchangeConfiguration.defaultBuilder()
            .ordersProcessingCfg(
                OrdersProcessingConfiguration.builder()
                    .riskProcessingMode(
                        OrdersProcessingConfiguration.RiskProcessingMode.FULL_PER_CURRENCY)
                    .marginTradingMode(
                        OrdersProcessingConfiguration.MarginTradingMode.MARGIN_TRADING_ENABLED)
                    .build())
            .performanceCfg(PerformanceConfiguration.throughputPerformanceBuilder().build())
            .build();
    pool = new SharedPool(64, 16, CHAIN_LENGTH);
    risk = new RiskEngine(0, 1, DummySerializationProcessor.INSTANCE, pool, cfg);
    matching =
        new MatchingEngineRouter(
            0,
            1,
            DummySerializationProcessor.INSTANCE,
            cfg.getPerformanceCfg().getOrderBookFactory(),
            pool,
            cfg);
    CoreSymbolSpecification symbol =
        CoreSymbolSpecification.builder()
            .symbolId(ExchangeCommands.SYMBOL)
            .type(SymbolType.FUTURES_CONTRACT)
            .baseCurrency(0)
            .quoteCurrency(CURRENCY)
            .baseScaleK(1)
            .quoteScaleK(1)
            .takerFee(5)
            .makerFee(1)
            .marginBuy(50_000)
            .marginSell(50_000)
            .build();
    BatchAddSymbolsCommand add = new BatchAddSymbolsCommand(symbol);
    invoke(risk, BinaryDataCommand.class, add);
    invoke(matching, Object.class, add);
    for (int u = 0; u < users; u++) {
      long uid = ExchangeCommands.uid(u);
      OrderCommand c = new OrderCommand();
      c.command = OrderCommandType.ADD_USER;
      c.uid = uid;
      require(c);
      c = new OrderCommand();
      c.command = OrderCommandType.BALANCE_ADJUSTMENT;
      c.uid = uid;
      c.symbol = CURRENCY;
      c.price = balance;
      c.orderId = uid; // the adjustment's transaction id
      c.orderType = OrderType.GTC; // code 0: BalanceAdjustmentType.ADJUSTMENT
      require(c);
    }
  }

  private void require(OrderCommand c) {
    c.resultCode = CommandResultCode.NEW;
    risk.preProcessCommand(++seq, c);
    if (c.resultCode != CommandResultCode.SUCCESS) {
      throw new IllegalStateException(c.command + " uid " + c.uid + ": " + c.resultCode);
    }
  }

  private static void invoke(Object stage, Class<?> parameter, Object message) {
    try {
      Method m = stage.getClass().getDeclaredMethod("handleBinaryMessage", parameter);
      m.setAccessible(true);
      m.invoke(stage, message);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("exchange-core set-up: " + stage.getClass(), e);
    }
  }

  /**
   * Runs one command through R1, ME, R2.
   *
   * @param template the command (copied, never changed)
   */
  void apply(OrderCommand template) {
    OrderCommand c = cmd;
    c.command = template.command;
    c.orderId = template.orderId;
    c.symbol = template.symbol;
    c.price = template.price;
    c.reserveBidPrice = template.reserveBidPrice;
    c.size = template.size;
    c.action = template.action;
    c.orderType = template.orderType;
    c.uid = template.uid;
    c.resultCode = CommandResultCode.NEW;
    c.serviceFlags = 0;
    long s = ++seq;
    risk.preProcessCommand(s, c);
    matching.processOrder(s, c);
    risk.handlerRiskRelease(s, c);
    if (c.resultCode != CommandResultCode.SUCCESS) {
      rejected++;
    }
    recycle(c);
  }

  /** What the grouping stage does: the command's events go back to the pool in chains. */
  private void recycle(OrderCommand c) {
    MatcherTradeEvent e = c.matcherEvent;
    if (e != null) {
      if (chainTail == null) {
        chainHead = e;
      } else {
        chainTail.nextEvent = e;
      }
      for (MatcherTradeEvent t = e; t != null; t = t.nextEvent) {
        chainTail = t;
        chainLength++;
        if (t.eventType == MatcherEventType.TRADE) {
          trades++;
        }
      }
      if (chainLength >= CHAIN_LENGTH) {
        pool.putChain(chainHead);
        chainHead = null;
        chainTail = null;
        chainLength = 0;
      }
    }
    c.matcherEvent = null;
    c.marketData = null;
  }

  long trades() {
    return trades;
  }

  long rejected() {
    return rejected;
  }
}
