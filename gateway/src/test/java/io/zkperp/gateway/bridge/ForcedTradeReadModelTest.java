package io.zkperp.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CreditL1Deposit;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.ServeL1ForcedTrade;
import io.zkperp.sequencer.core.EventCollector;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.ForcedTradeRequest;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read model follows a real engine through forced trades: an executed one shows both accounts'
 * new collateral and positions exactly as the engine holds them; an invalid one (a replay: stale)
 * changes neither.
 */
class ForcedTradeReadModelTest {
  private static final int M = 1;
  private static final RiskConfig CONFIG =
      new RiskConfig(
          Map.of(M, new MarketRisk(50_000, 30_000, 100, 50, 10_000, 5_000, 50_000)),
          List.of(new FeeTier(200, 500)),
          Map.of());

  private final EventCollector events = new EventCollector();
  private final RiskEngine engine = new RiskEngine(CONFIG, LiquidationConfig.DEFAULT);
  private final SequencerCore core =
      new SequencerCore(
          OrderBookFactory.OPTIMISED, SelfTradePrevention.EXPIRE_MAKER, engine, events);
  private final ReadModel rm = new ReadModel(CONFIG);
  private long seq;

  private void apply(Command c) {
    assertThat(core.apply(c)).as("%s: %s", c, core.lastRejectMessage()).isTrue();
    rm.apply(c, ++seq, events.drain());
  }

  private void sameAsTheEngine(int account) {
    ReadModel.AccountView v = rm.account(account);
    assertThat(v.collateral()).isEqualTo(engine.collateral(account));
    assertThat(v.positions()).hasSize(1);
    assertThat(v.positions().get(0).size()).isEqualTo(engine.position(account, M));
    assertThat(v.positions().get(0).costBasis()).isEqualTo(engine.costBasis(account, M));
  }

  @Test
  void bothAccountsShowAnExecutedForcedTradeAndNothingOfAStaleOne() {
    L1Address owner = L1Address.fromHex("0x" + "a1".repeat(20));
    apply(new AddMarket(M, 1, 1, 1));
    apply(new OraclePrice(M, 1_000, 1));
    apply(new CreditL1Deposit(0, 1, owner, Fr.fromLong(11), Fr.fromLong(12), 100_000));
    apply(new CreditL1Deposit(1, 2, owner, Fr.fromLong(11), Fr.fromLong(12), 100_000));
    ForcedTradeRequest r = new ForcedTradeRequest(1, 2, M, false, 4, 4_010, 3);
    apply(new ServeL1ForcedTrade(2, r, true));
    assertThat(engine.position(1, M)).isEqualTo(-4);
    assertThat(rm.account(1).collateral()).isEqualTo(104_010);
    assertThat(rm.account(2).collateral()).isEqualTo(95_990);
    sameAsTheEngine(1);
    sameAsTheEngine(2);
    long sequence = rm.account(1).sequence();

    apply(new ServeL1ForcedTrade(3, r, true)); // stale: nothing changes
    sameAsTheEngine(1);
    sameAsTheEngine(2);
    assertThat(rm.account(1).collateral()).isEqualTo(104_010);
    assertThat(rm.account(1).sequence()).isEqualTo(sequence);
  }
}
