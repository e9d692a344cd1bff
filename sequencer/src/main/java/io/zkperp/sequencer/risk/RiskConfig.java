package io.zkperp.sequencer.risk;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The risk engine's configuration: risk parameters per market (a market without them cannot be
 * traded under the engine), fee tiers (tier 0 is every account's default) and the accounts with
 * another tier. It is written into the state (so into the state hash) and a snapshot only loads
 * into an engine with an equal configuration. Immutable; any thread.
 *
 * @param markets risk parameters by market id
 * @param tiers fee tiers by index; at least one
 * @param accountTiers tier index by account, for accounts not in tier 0
 */
public record RiskConfig(
    Map<Integer, MarketRiskParams> markets,
    List<FeeTier> tiers,
    Map<Integer, Integer> accountTiers) {
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
    for (int m : markets.keySet()) {
      if (m < 0 || m > 0xFFFF) {
        throw new IllegalArgumentException("market id out of range: " + m);
      }
    }
  }

  /**
   * One market, one tier without fees.
   *
   * @param market the market id
   * @param params its parameters
   * @return the configuration
   */
  public static RiskConfig of(int market, MarketRiskParams params) {
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
