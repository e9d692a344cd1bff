package io.zkperp.node.v3;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.FeeTier;
import io.zkperp.protocol.state.v2.FeeTiers;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.OracleSigner;
import io.zkperp.protocol.state.v2.OracleSignerSet;
import io.zkperp.sequencer.risk.RiskConfig;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import io.zkperp.state.v2.StateStoreV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The layout v2 genesis of an engine's configuration: every market of the {@link RiskConfig} listed
 * with its risk leaf — the engine's margin parameters, its oracle bounds ({@link OracleConfig}:
 * maximum age, maximum future, maximum move) and its funding bounds ({@link FundingConfig}: the
 * tick interval as the minimum interval, the maximum rate) — no price, index 0, no open interest;
 * the global leaf with the oracle signer set and quorum (layout v2 has one set for all markets: the
 * engine's per-market sets must be the same list, signer index = slot) and the fee tiers.
 *
 * <p>A market without an oracle configuration gets oracle bounds 0 (its unsigned prices are not
 * provable anyway), one without a funding configuration a maximum rate and interval of 0 (an
 * operator {@code FundingTick} then passes the step only with Δindex = 0). Stateless; the store's
 * writer thread.
 */
public final class EngineGenesis {
  private EngineGenesis() {}

  /**
   * Lists the configuration's markets and writes the global leaf, as version 1 of a store at
   * genesis.
   *
   * @param store a layout v2 store at version 0
   * @param risk the engine's risk configuration
   * @param oracle its oracle configuration, or null
   * @param funding its funding configuration, or null
   * @return the roots after
   * @throws UnrepresentableConfigException the configuration does not fit layout v2, or the store
   *     is not at version 0 (nothing written)
   */
  public static StateRootsV2 write(
      StateStoreV2 store, RiskConfig risk, OracleConfig oracle, FundingConfig funding)
      throws UnrepresentableConfigException {
    Objects.requireNonNull(store, "store");
    if (store.version() != 0) {
      throw new UnrepresentableConfigException(
          "the store is at version " + store.version() + ", not at genesis (0)");
    }
    Map<Integer, MarketV2> markets = markets(risk, oracle, funding);
    GlobalV2 global = global(risk, oracle);
    StateBatchV2 batch = store.beginBatch();
    try {
      markets.forEach(batch::setMarket);
      batch.setGlobal(global);
      return batch.commit();
    } catch (RuntimeException e) {
      batch.abort();
      throw e;
    }
  }

  /**
   * The market leaves of a configuration.
   *
   * @param risk the risk configuration
   * @param oracle the oracle configuration, or null
   * @param funding the funding configuration, or null
   * @return market id → leaf at genesis
   * @throws UnrepresentableConfigException a market id is 64 or more
   */
  static Map<Integer, MarketV2> markets(RiskConfig risk, OracleConfig oracle, FundingConfig funding)
      throws UnrepresentableConfigException {
    Map<Integer, MarketV2> out = new java.util.TreeMap<>();
    for (Map.Entry<Integer, MarketRisk> e : risk.markets().entrySet()) {
      int id = e.getKey();
      if (id >= 1 << LayoutV2.MARKETS_DEPTH) {
        throw new UnrepresentableConfigException(
            "market " + id + ": layout v2 lists markets 0 to 63");
      }
      MarketRisk r = e.getValue();
      OracleConfig.MarketOracle o = oracle == null ? null : oracle.market(id);
      FundingConfig.MarketFunding f = funding == null ? null : funding.market(id);
      MarketRiskV2 v2 =
          new MarketRiskV2(
              r.initialMarginPpm(),
              r.maintenanceMarginPpm(),
              r.baselinePositionSize(),
              r.incrementalPositionSize(),
              r.incrementalInitialMarginPpm(),
              r.maxPositionSize(),
              r.openInterestCap(),
              o == null ? 0 : o.maxAgeSeconds(),
              o == null ? 0 : o.maxFutureSeconds(),
              o == null ? 0 : o.maxMovePpm(),
              f == null ? 0 : funding.tickIntervalSeconds(),
              f == null ? 0 : f.maxRatePpm());
      out.put(id, new MarketV2(0, 0, 0, 0, 0, v2));
    }
    return out;
  }

  /**
   * The global leaf of a configuration: fee balance 0, the one signer set and quorum, the tiers.
   *
   * @param risk the risk configuration (tiers)
   * @param oracle the oracle configuration, or null (no signers, quorum 0)
   * @return the leaf
   * @throws UnrepresentableConfigException signer sets differ, exceed 16, or tiers do not fit
   */
  static GlobalV2 global(RiskConfig risk, OracleConfig oracle)
      throws UnrepresentableConfigException {
    List<OracleSigner> slots = new ArrayList<>(OracleSignerSet.EMPTY.slots());
    int quorum = 0;
    OracleConfig.MarketOracle first = null;
    for (Map.Entry<Integer, OracleConfig.MarketOracle> e :
        oracle == null
            ? Map.<Integer, OracleConfig.MarketOracle>of().entrySet()
            : oracle.markets().entrySet()) {
      OracleConfig.MarketOracle o = e.getValue();
      if (first == null) {
        first = o;
      } else if (!first.signers().equals(o.signers()) || first.quorum() != o.quorum()) {
        throw new UnrepresentableConfigException(
            "market "
                + e.getKey()
                + " has another oracle signer list or quorum: layout v2 commits to one set for all"
                + " markets (signer index = slot)");
      }
    }
    if (first != null) {
      if (first.signers().size() > LayoutV2.ORACLE_SIGNER_SLOTS) {
        throw new UnrepresentableConfigException(
            first.signers().size() + " oracle signers: layout v2 has 16 slots");
      }
      for (int i = 0; i < first.signers().size(); i++) {
        EdDsaPublicKey k = first.signers().get(i);
        slots.set(i, new OracleSigner(k.point().x(), k.point().y()));
      }
      quorum = first.quorum();
    }
    if (risk.tiers().size() > LayoutV2.FEE_TIERS) {
      throw new UnrepresentableConfigException(risk.tiers().size() + " fee tiers: layout v2 has 8");
    }
    List<FeeTier> tiers = new ArrayList<>(FeeTiers.ZERO.tiers());
    for (int i = 0; i < risk.tiers().size(); i++) {
      var t = risk.tiers().get(i);
      if (Math.abs(t.makerFeePpm()) > FeeTier.MAX_ABS_RATE_PPM
          || Math.abs(t.takerFeePpm()) > FeeTier.MAX_ABS_RATE_PPM) {
        throw new UnrepresentableConfigException(
            "fee tier " + i + " " + t + ": layout v2 rates are within ±10^6 ppm");
      }
      tiers.set(i, new FeeTier((int) t.makerFeePpm(), (int) t.takerFeePpm()));
    }
    return new GlobalV2(0, new OracleSignerSet(slots), quorum, new FeeTiers(tiers));
  }
}
