package io.zkperp.node.v3;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment of the differential tests: its message domain, the engine's configuration (three
 * markets with oracle and funding configurations, two fee tiers, one with a maker rebate), the
 * traders' keys and L1 owners, and the oracle signers.
 */
final class Deployment {
  static final MessageDomain DOMAIN =
      MessageDomain.of(4_242, L1Address.fromHex("0x00000000000000000000000000000000000a11ce"));
  static final int[] MARKETS = {1, 2, 3};

  /** Integer prices the markets start at (collateral quanta per synthetic quantum). */
  static final long[] BASE_PRICE = {0, 10_000, 2_000, 100};

  static final int ACCOUNTS = 7;
  static final int SIGNERS = 3;
  static final int QUORUM = 2;
  static final List<EdDsaPrivateKey> TRADERS = keys(ACCOUNTS, 0x21);
  static final List<EdDsaPrivateKey> ORACLE_SIGNERS = keys(SIGNERS, 0x51);
  static final EdDsaPrivateKey FORGER = keys(1, 0x7E).get(0);

  private Deployment() {}

  static List<EdDsaPrivateKey> keys(int n, int base) {
    List<EdDsaPrivateKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      Arrays.fill(seed, (byte) (base + i));
      keys.add(EdDsaPrivateKey.fromSeed(seed));
    }
    return keys;
  }

  static L1Address owner(int account) {
    byte[] b = new byte[L1Address.BYTES];
    b[0] = (byte) 0xEE;
    b[19] = (byte) (account + 1);
    return L1Address.of(b);
  }

  /**
   * Market 1: IMF 5% with +1% per 50 above 100, MMF 3%; market 2: IMF 10%, MMF 5%; market 3: IMF
   * 5%, a small open-interest cap (150) so that the cap is reached.
   */
  static RiskConfig risk() {
    Map<Integer, MarketRisk> markets = new HashMap<>();
    markets.put(1, new MarketRisk(50_000, 30_000, 100, 50, 10_000, 5_000, 50_000));
    markets.put(2, new MarketRisk(100_000, 50_000, 200, 100, 20_000, 5_000, 50_000));
    markets.put(3, new MarketRisk(50_000, 30_000, 1_000, 100, 0, 2_000, 150));
    return new RiskConfig(
        markets, List.of(new FeeTier(200, 500), new FeeTier(-100, 400)), Map.of(2, 1, 5, 1));
  }

  static OracleConfig oracle() {
    OracleConfig.MarketOracle m =
        new OracleConfig.MarketOracle(
            ORACLE_SIGNERS.stream().map(EdDsaPrivateKey::publicKey).toList(),
            QUORUM,
            30,
            5,
            30_000);
    Map<Integer, OracleConfig.MarketOracle> all = new HashMap<>();
    for (int id : MARKETS) {
      all.put(id, m);
    }
    return new OracleConfig(all);
  }

  /** A premium sample a minute, a funding tick every 5 minutes; rate clamp = max rate. */
  static FundingConfig funding() {
    Map<Integer, FundingConfig.MarketFunding> all = new HashMap<>();
    RiskConfig r = risk();
    for (int id : MARKETS) {
      MarketRisk mr = r.markets().get(id);
      long clamp = 6 * (mr.initialMarginPpm() - mr.maintenanceMarginPpm());
      all.put(id, new FundingConfig.MarketFunding(mr, 5_000, 100, 60_000_000, 6_000_000, clamp));
    }
    return new FundingConfig(60, 300, all);
  }
}
