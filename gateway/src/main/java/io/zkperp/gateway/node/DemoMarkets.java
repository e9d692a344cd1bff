package io.zkperp.gateway.node;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.command.AddMarket;
import io.zkperp.sequencer.risk.FeeTier;
import io.zkperp.sequencer.risk.LiquidationConfig;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.RiskEngine;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The demo node's fixed configuration: its two markets, their risk parameters, the built-in oracle
 * signers (quorum 2 of 3) and derived funding, the demo accounts' collateral and the insurance
 * fund's top-up. Everything here is public knowledge: the oracle keys and the account keys are demo
 * keys that anyone can sign with, for trying the API only. A journal written with this
 * configuration is replayed with it; changing a number here can make an old data directory fail to
 * replay. Immutable; any thread.
 */
public final class DemoMarkets {
  private DemoMarkets() {}

  /** The markets listed on an empty journal: market, tick size, step size, minimum size. */
  public static final List<AddMarket> MARKETS =
      List.of(new AddMarket(1, 10, 5, 10), new AddMarket(2, 1, 1, 1));

  /**
   * The feed's centre price of each market, in order-price units (index = market; 0 = no market).
   * The feed's random walk stays within {@link #BAND_PPM} of it.
   */
  private static final long[] CENTRE = {0, 10_000, 1_000};

  /** The feed's random walk stays within ± this many ppm of the centre price (2%). */
  public static final long BAND_PPM = 20_000;

  /** The oracle's largest accepted move per update, ppm (5%); the feed moves far less. */
  public static final long MAX_MOVE_PPM = 50_000;

  /** The number of built-in oracle signers. */
  public static final int ORACLE_SIGNERS = 3;

  /** The oracle quorum: distinct signers needed per price batch. */
  public static final int ORACLE_QUORUM = 2;

  /** The collateral each demo account gets on an empty journal, in collateral quanta. */
  public static final long DEMO_COLLATERAL = 1_000_000_000_000L;

  /** The insurance fund's top-up on an empty journal, in collateral quanta. */
  public static final long INSURANCE_TOP_UP = 1_000_000_000_000L;

  /** The only fee tier: maker 0.02%, taker 0.05% (so a signed fee cap of 500 ppm or more). */
  public static final FeeTier FEES = new FeeTier(200, 500);

  /**
   * The centre price of a demo market.
   *
   * @param market 1 or 2
   * @return the price in order-price units
   */
  public static long centrePrice(int market) {
    return CENTRE[market];
  }

  /**
   * The market ids, ascending.
   *
   * @return the ids of {@link #MARKETS}
   */
  public static int[] marketIds() {
    return MARKETS.stream().mapToInt(AddMarket::market).toArray();
  }

  /**
   * The key of built-in oracle signer {@code i}: seed = 32 bytes of {@code 0x51 + i}. Demo keys:
   * anyone can sign prices with them.
   *
   * @param i 0 to {@link #ORACLE_SIGNERS}−1
   * @return the private key
   */
  public static EdDsaPrivateKey oracleKey(int i) {
    if (i < 0 || i >= ORACLE_SIGNERS) {
      throw new IllegalArgumentException("oracle signer " + i + " is not 0 to " + ORACLE_SIGNERS);
    }
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) (0x51 + i));
    return EdDsaPrivateKey.fromSeed(seed);
  }

  /**
   * Risk parameters of every demo market: IMF 5%, MMF 3%, +1% IMF per 100,000 above a baseline of
   * 1,000,000, position limit 10^9, open-interest cap 10^12.
   *
   * @return the risk leaf
   */
  static MarketRisk risk() {
    return new MarketRisk(
        50_000, 30_000, 1_000_000, 100_000, 10_000, 1_000_000_000L, 1_000_000_000_000L);
  }

  /**
   * The price band of both markets, ppm of the oracle price: 10%. An order priced further from the
   * oracle is refused {@code PRICE_OUTSIDE_BAND} (fat-finger protection).
   */
  public static final long PRICE_BAND_PPM = 100_000;

  /**
   * The risk configuration: both markets with {@link #risk()} and a {@link #PRICE_BAND_PPM} price
   * band, one fee tier.
   *
   * @return the configuration
   */
  public static RiskConfig riskConfig() {
    return new RiskConfig(Map.of(1, risk(), 2, risk()), List.of(FEES), Map.of())
        .withPriceBands(Map.of(1, PRICE_BAND_PPM, 2, PRICE_BAND_PPM));
  }

  /**
   * The oracle configuration: per market the {@link #ORACLE_SIGNERS} built-in keys, quorum {@link
   * #ORACLE_QUORUM}, reports at most 60 s old and 5 s in the future, moves up to {@link
   * #MAX_MOVE_PPM}.
   *
   * @return the configuration
   */
  public static OracleConfig oracleConfig() {
    List<io.zkperp.protocol.eddsa.EdDsaPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < ORACLE_SIGNERS; i++) {
      keys.add(oracleKey(i).publicKey());
    }
    return oracleConfig(keys, ORACLE_QUORUM);
  }

  /**
   * The oracle configuration of both markets with another signer set (a deployment's own signers
   * instead of the demo keys): reports at most 60 s old and 5 s in the future, moves up to {@link
   * #MAX_MOVE_PPM}.
   *
   * @param signers the signers' public keys; a report names its signer by index into this list
   * @param quorum distinct signers needed per price batch, 1 to {@code signers.size()}
   * @return the configuration
   */
  public static OracleConfig oracleConfig(
      List<io.zkperp.protocol.eddsa.EdDsaPublicKey> signers, int quorum) {
    OracleConfig.MarketOracle m =
        new OracleConfig.MarketOracle(signers, quorum, 60, 5, MAX_MOVE_PPM);
    return new OracleConfig(Map.of(1, m, 2, m));
  }

  /**
   * Derived funding with dYdX v4's parameters: a premium sample a minute, a funding tick an hour,
   * impact notional from 500,000 collateral quanta, interest 100 ppm / 8 h, sample clamp 6,000%,
   * rate clamp 600% of (IMF − MMF) = 120,000 ppm, which is also the maximum rate.
   *
   * @return the configuration
   */
  public static FundingConfig fundingConfig() {
    FundingConfig.MarketFunding f =
        new FundingConfig.MarketFunding(risk(), 500_000, 100, 60_000_000, 6_000_000, 120_000);
    return new FundingConfig(60, 3_600, Map.of(1, f, 2, f));
  }

  /**
   * A fresh risk engine with this configuration (one per core; recovery needs a fresh one).
   *
   * @return the engine
   */
  public static RiskEngine riskEngine() {
    return riskEngine(oracleConfig());
  }

  /**
   * A fresh risk engine with this configuration but another oracle configuration (a deployment's
   * own signers, {@link #oracleConfig(List, int)}).
   *
   * @param oracle the oracle configuration
   * @return the engine
   */
  public static RiskEngine riskEngine(OracleConfig oracle) {
    return new RiskEngine(riskConfig(), LiquidationConfig.DEFAULT, oracle, fundingConfig());
  }
}
