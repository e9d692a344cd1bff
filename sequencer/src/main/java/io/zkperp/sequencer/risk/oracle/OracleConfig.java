package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.risk.RiskMath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The oracle's configuration: for each market, the signer set and the acceptance bounds. Immutable
 * (validated and copied at construction); any thread.
 *
 * @param markets the configuration of each market, by market id (0 to 65,535)
 */
public record OracleConfig(Map<Integer, OracleConfig.MarketOracle> markets) {
  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if a market id is out of range
   */
  public OracleConfig {
    markets = Map.copyOf(new TreeMap<>(markets));
    for (Integer id : markets.keySet()) {
      if (id < 0 || id > 0xFFFF) {
        throw new IllegalArgumentException("market id out of range: " + id);
      }
    }
  }

  /**
   * One market's configuration.
   *
   * @param market the market id
   * @param config its configuration
   * @return the oracle configuration
   */
  public static OracleConfig of(int market, MarketOracle config) {
    return new OracleConfig(Map.of(market, config));
  }

  /**
   * A market's configuration.
   *
   * @param market the market id
   * @return its configuration, or null if the market has none
   */
  public MarketOracle market(int market) {
    return markets.get(market);
  }

  /**
   * One market's oracle parameters. Immutable; any thread.
   *
   * <p>With the lower median (see {@link OracleAggregator}) the accepted price lies between the
   * smallest and largest honest report whenever fewer than half of the reports in a batch are
   * dishonest; to tolerate f dishonest signers use {@code quorum ≥ 2f + 1}.
   *
   * @param signers the signers' public keys; a report names its signer by index into this list.
   *     Distinct keys, at least one
   * @param quorum the minimum number of reports (distinct signers) in a batch, 1 to {@code
   *     signers.size()}
   * @param maxAgeSeconds a report is stale if its timestamp is below {@code now − maxAgeSeconds} (≥
   *     0)
   * @param maxFutureSeconds a report is rejected if its timestamp is above {@code now +
   *     maxFutureSeconds} (clock skew allowance, ≥ 0)
   * @param maxMovePpm the largest accepted change per update, in parts per million of the previous
   *     accepted price: {@code |median − previous| ≤ floor(previous · maxMovePpm / 10^6)}; 1 to
   *     10^6. Not applied to a market's first price
   */
  public record MarketOracle(
      List<EdDsaPublicKey> signers,
      int quorum,
      long maxAgeSeconds,
      long maxFutureSeconds,
      long maxMovePpm) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a parameter is out of range or a key is repeated
     */
    public MarketOracle {
      signers = List.copyOf(signers);
      if (signers.isEmpty()) {
        throw new IllegalArgumentException("at least one oracle signer is required");
      }
      if (new HashSet<>(signers).size() != signers.size()) {
        throw new IllegalArgumentException("oracle signer keys must be distinct");
      }
      if (quorum < 1 || quorum > signers.size()) {
        throw new IllegalArgumentException(
            "quorum must be 1 to " + signers.size() + " (the number of signers): " + quorum);
      }
      if (maxAgeSeconds < 0 || maxFutureSeconds < 0) {
        throw new IllegalArgumentException("maxAgeSeconds and maxFutureSeconds must be ≥ 0");
      }
      if (maxMovePpm < 1 || maxMovePpm > RiskMath.PPM) {
        throw new IllegalArgumentException("maxMovePpm must be 1 to 10^6: " + maxMovePpm);
      }
    }
  }
}
