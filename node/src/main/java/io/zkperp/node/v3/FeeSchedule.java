package io.zkperp.node.v3;

import io.zkperp.sequencer.risk.RiskConfig;
import java.util.Objects;

/**
 * The fee rate each account pays on a fill, as the engine charges it: the maker or taker rate of
 * the account's tier in the engine's {@link RiskConfig} (tiers are fixed in the configuration). A
 * {@code TradeSettled} record carries the fee amounts, not the rates a trade step needs; the
 * translator takes the rate from here and checks that it gives the record's amount. Immutable; any
 * thread.
 */
public final class FeeSchedule {
  private final RiskConfig config;

  private FeeSchedule(RiskConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * The schedule of an engine's configuration.
   *
   * @param config the engine's configuration (tiers and account tiers)
   * @return the schedule
   */
  public static FeeSchedule of(RiskConfig config) {
    return new FeeSchedule(config);
  }

  /**
   * The rate an account pays as taker.
   *
   * @param account the account
   * @return ppm of the fill's notional
   */
  long takerPpm(int account) {
    return config.tierOf(account).takerFeePpm();
  }

  /**
   * The rate an account pays as maker (negative = rebate).
   *
   * @param account the account
   * @return ppm of the fill's notional
   */
  long makerPpm(int account) {
    return config.tierOf(account).makerFeePpm();
  }
}
