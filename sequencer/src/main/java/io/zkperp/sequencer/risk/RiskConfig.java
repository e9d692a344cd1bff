package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The risk engine's configuration: risk parameters per market (a market without them cannot be
 * traded under the engine), fee tiers (tier 0 is every account's default), the accounts with
 * another tier, and the isolated markets (a position in one must be the only position of its
 * account: isolated margin through subaccounts). It is written into the state (so into the state
 * hash) and a snapshot only loads into an engine with an equal configuration. Immutable; any
 * thread.
 *
 * @param markets risk parameters by market id: the fields of the market leaf's risk hash (state
 *     layout §4), checked by the engine's rules
 * @param tiers fee tiers by index; at least one
 * @param accountTiers tier index by account, for accounts not in tier 0
 * @param isolatedMarkets the isolated markets (each must have risk parameters)
 * @param priceBandsPpm per market (each must have risk parameters), the largest distance in ppm of
 *     the oracle price at which an order may be placed: a buy's limit at most {@code oracle · (1 +
 *     band)}, a sell's at least {@code oracle · (1 − band)} (fat-finger protection); a market
 *     without an entry has no band
 */
public record RiskConfig(
    Map<Integer, MarketRisk> markets,
    List<FeeTier> tiers,
    Map<Integer, Integer> accountTiers,
    Set<Integer> isolatedMarkets,
    Map<Integer, Long> priceBandsPpm) {
  /**
   * Exclusive bound on a market's {@code maxPositionSize}: 2^55. State layout v2 packs a position's
   * size into 56 bits (|size| ≤ 2^55 − 1), so a larger maximum could not be represented.
   */
  public static final long MAX_POSITION_SIZE_BOUND = 1L << 55;

  /**
   * A configuration without price bands.
   *
   * @param markets risk parameters by market id
   * @param tiers fee tiers
   * @param accountTiers tier index by account
   * @param isolatedMarkets the isolated markets
   */
  public RiskConfig(
      Map<Integer, MarketRisk> markets,
      List<FeeTier> tiers,
      Map<Integer, Integer> accountTiers,
      Set<Integer> isolatedMarkets) {
    this(markets, tiers, accountTiers, isolatedMarkets, Map.of());
  }

  /**
   * A configuration without isolated markets.
   *
   * @param markets risk parameters by market id
   * @param tiers fee tiers
   * @param accountTiers tier index by account
   */
  public RiskConfig(
      Map<Integer, MarketRisk> markets, List<FeeTier> tiers, Map<Integer, Integer> accountTiers) {
    this(markets, tiers, accountTiers, Set.of(), Map.of());
  }

  /**
   * This configuration with other price bands.
   *
   * @param bandsPpm the band in ppm of the oracle price by market (1 to 10^6 each)
   * @return the new configuration
   * @throws IllegalArgumentException if a band is out of range or its market has no parameters
   */
  public RiskConfig withPriceBands(Map<Integer, Long> bandsPpm) {
    return new RiskConfig(markets, tiers, accountTiers, isolatedMarkets, bandsPpm);
  }

  /**
   * Validates and copies the configuration. Every taker rate must cover every maker rebate (taker_i
   * + maker_j ≥ 0 for all tiers i, j), so that the fee account never pays out more on a fill than
   * it takes in.
   *
   * @throws IllegalArgumentException if the configuration is inconsistent
   */
  public RiskConfig {
    markets = Map.copyOf(new TreeMap<>(markets));
    tiers = List.copyOf(tiers);
    accountTiers = Map.copyOf(accountTiers);
    isolatedMarkets = Set.copyOf(isolatedMarkets);
    priceBandsPpm = Map.copyOf(priceBandsPpm);
    for (Map.Entry<Integer, Long> e : priceBandsPpm.entrySet()) {
      if (!markets.containsKey(e.getKey()) || e.getValue() <= 0 || e.getValue() > RiskMath.PPM) {
        throw new IllegalArgumentException(
            "price band " + e + " must be 1 to 10^6 ppm for a market with risk parameters");
      }
    }
    for (Map.Entry<Integer, MarketRisk> e : markets.entrySet()) {
      if (Long.compareUnsigned(e.getValue().maxPositionSize(), MAX_POSITION_SIZE_BOUND) >= 0) {
        throw new IllegalArgumentException(
            "market "
                + e.getKey()
                + ": maxPositionSize "
                + e.getValue().maxPositionSize()
                + " must be below 2^55 (state layout v2 stores |size| < 2^55)");
      }
    }
    for (int m : isolatedMarkets) {
      if (!markets.containsKey(m)) {
        throw new IllegalArgumentException("isolated market " + m + " has no risk parameters");
      }
    }
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one fee tier (tier 0) is required");
    }
    for (FeeTier taker : tiers) {
      for (FeeTier maker : tiers) {
        if (taker.takerFeePpm() + maker.makerFeePpm() < 0) {
          throw new IllegalArgumentException(
              "taker fee "
                  + taker.takerFeePpm()
                  + " ppm does not cover maker rebate "
                  + maker.makerFeePpm()
                  + " ppm");
        }
      }
    }
    for (Map.Entry<Integer, Integer> e : accountTiers.entrySet()) {
      if (e.getKey() < 0 || e.getValue() < 0 || e.getValue() >= tiers.size()) {
        throw new IllegalArgumentException("bad account tier " + e);
      }
    }
    for (Map.Entry<Integer, MarketRisk> e : markets.entrySet()) {
      if (e.getKey() < 0 || e.getKey() > 0xFFFF) {
        throw new IllegalArgumentException("market id out of range: " + e.getKey());
      }
      check(e.getValue());
    }
  }

  /**
   * Checks one market's risk parameters — the fields of the market leaf's risk hash (state layout
   * §4) — for what the engine needs.
   *
   * @param r the parameters
   * @throws IllegalArgumentException if a parameter is out of range
   */
  static void check(MarketRisk r) {
    long initialMarginPpm = r.initialMarginPpm();
    long maintenanceMarginPpm = r.maintenanceMarginPpm();
    long baselinePositionSize = r.baselinePositionSize();
    long incrementalPositionSize = r.incrementalPositionSize();
    long incrementalInitialMarginPpm = r.incrementalInitialMarginPpm();
    long maxPositionSize = r.maxPositionSize();
    long openInterestCap = r.openInterestCap();
    if (initialMarginPpm <= 0 || initialMarginPpm > RiskMath.PPM) {
      throw new IllegalArgumentException("initialMarginPpm must be 1 to 10^6: " + initialMarginPpm);
    }
    if (maintenanceMarginPpm < 0 || maintenanceMarginPpm > initialMarginPpm) {
      throw new IllegalArgumentException(
          "maintenanceMarginPpm must be 0 to initialMarginPpm: " + maintenanceMarginPpm);
    }
    if (baselinePositionSize < 0 || incrementalPositionSize <= 0) {
      throw new IllegalArgumentException(
          "baselinePositionSize must be ≥ 0 and incrementalPositionSize > 0");
    }
    if (incrementalInitialMarginPpm < 0 || incrementalInitialMarginPpm > RiskMath.PPM) {
      throw new IllegalArgumentException(
          "incrementalInitialMarginPpm must be 0 to 10^6: " + incrementalInitialMarginPpm);
    }
    if (maxPositionSize <= 0 || openInterestCap <= 0) {
      throw new IllegalArgumentException("maxPositionSize and openInterestCap must be > 0");
    }
  }

  /**
   * One market, one tier without fees.
   *
   * @param market the market id
   * @param params its parameters
   * @return the configuration
   */
  public static RiskConfig of(int market, MarketRisk params) {
    return new RiskConfig(Map.of(market, params), List.of(new FeeTier(0, 0)), Map.of());
  }

  /**
   * The tier of an account.
   *
   * @param account the account
   * @return its fee tier
   */
  public FeeTier tierOf(int account) {
    return tiers.get(accountTiers.getOrDefault(account, 0));
  }
}
