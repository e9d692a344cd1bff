package io.zkperp.gateway;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.TopUpInsuranceFund;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The fixtures of {@code src/test/resources/fixtures-risk/} (same format and rules as {@link
 * FixtureTest}) against a gateway whose core has a risk engine: markets 1 and 2 with risk
 * parameters (IMF 5% / MMF 3% and 10% / 5%), fee tier 0 maker 200 ppm / taker 500 ppm, accounts 1
 * and 2 with 1,000,000 collateral each, an insurance fund of 50,000, market 1 priced at 1,000
 * (operator price, timestamp 1,000) and one operator funding tick of +2^28 (1/16 per unit) at
 * timestamp 1,010.
 */
class RiskFixtureTest extends FixtureTest {
  static final List<Command> SETUP =
      List.of(
          new DepositCollateral(1, 1_000_000),
          new DepositCollateral(2, 1_000_000),
          new TopUpInsuranceFund(50_000),
          new OraclePrice(1, 1_000, 1_000),
          new FundingTick(1, 1L << 28, 1_010));

  static RiskEngine engine() {
    return engine(new MarketRisk(50_000, 30_000, 200, 100, 10_000, 100_000, 1_000_000));
  }

  /**
   * The fixtures' engine with other risk parameters for market 1 (market 2 and the fee tier as
   * theirs).
   *
   * @param market1 market 1's parameters
   * @return a fresh engine
   */
  static RiskEngine engine(MarketRisk market1) {
    return new RiskEngine(
        new RiskConfig(
            Map.of(
                1, market1, 2, new MarketRisk(100_000, 50_000, 50, 25, 20_000, 100_000, 1_000_000)),
            List.of(new FeeTier(200, 500)),
            Map.of()));
  }

  @Override
  Path fixtureDirectory() {
    return Path.of("src/test/resources/fixtures-risk");
  }

  @Override
  GatewayHarness newHarness(Path dir) throws Exception {
    return new GatewayHarness(dir, GatewayConfig.defaults(0), engine(), SETUP);
  }

  @Override
  int minimumFixtures() {
    return 10;
  }
}
