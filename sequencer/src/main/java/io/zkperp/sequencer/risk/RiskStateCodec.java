package io.zkperp.sequencer.risk;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.funding.PremiumSampler;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The risk engine's canonical serialisation, appended to the core's state (so it is in the state
 * hash and in snapshots): magic and format, the whole configuration (a state loads only into an
 * engine configured equally), the priced markets' state, the venue's balances, the insurance fund,
 * every non-empty account (ascending id, positions ascending market), and the premium sampler. Core
 * thread.
 */
final class RiskStateCodec extends RiskComponent {
  private static final int STATE_MAGIC = 0x5A4B5249; // "ZKRI"
  // 4: the insurance fund is account 2^24 − 1 (layout v2), no longer 2^24
  private static final int STATE_FORMAT = 4;

  private final RiskConfig config;
  private final byte[] extraConfigBytes;
  private final PremiumSampler sampler;

  RiskStateCodec(
      RiskParts parts,
      RiskConfig config,
      OracleConfig oracle,
      FundingConfig funding,
      PremiumSampler sampler) {
    super(parts);
    this.config = config;
    this.extraConfigBytes = extraConfigBytes(oracle, funding, config.priceBandsPpm());
    this.sampler = sampler;
  }

  void write(DataOutput out) throws IOException {
    out.writeInt(STATE_MAGIC);
    out.writeInt(STATE_FORMAT);
    writeConfig(config, out);
    out.writeBoolean(liquidation.enabled());
    out.writeLong(liquidation.stepFractionPpm());
    out.writeLong(liquidation.minStepNotional());
    out.writeLong(liquidation.spreadPpm());
    out.writeLong(liquidation.feePpm());
    out.writeInt(extraConfigBytes.length);
    out.write(extraConfigBytes);
    List<MarketRiskState> priced = markets.priced();
    out.writeInt(priced.size());
    for (MarketRiskState m : priced) {
      out.writeInt(m.id);
      m.writeState(out);
    }
    out.writeLong(book.feeBalance);
    out.writeLong(book.totalDeposited);
    out.writeLong(book.totalWithdrawn);
    writeAccount(book.fund(), out);
    List<Account> accounts = book.nonEmptyAccounts();
    out.writeInt(accounts.size());
    for (Account a : accounts) {
      writeAccount(a, out);
    }
    if (sampler != null) {
      sampler.writeState(out);
    }
  }

  void read(DataInput in) throws IOException {
    if (in.readInt() != STATE_MAGIC) {
      throw new IOException("no risk engine state in this core state (written without risk?)");
    }
    int format = in.readInt();
    if (format != STATE_FORMAT) {
      throw new IOException("unknown risk state format " + format + ", expected " + STATE_FORMAT);
    }
    RiskConfig stored = readConfig(in);
    if (!stored.equals(config.withPriceBands(Map.of()))) { // the bands are in the extra bytes
      throw new IOException(
          "the state was written with other risk parameters: " + stored + " vs " + config);
    }
    LiquidationConfig storedLiquidation =
        new LiquidationConfig(
            in.readBoolean(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    if (!storedLiquidation.equals(liquidation)) {
      throw new IOException(
          "the state was written with other liquidation parameters: "
              + storedLiquidation
              + " vs "
              + liquidation);
    }
    int configLength = in.readInt();
    if (configLength != extraConfigBytes.length) {
      throw new IOException(
          "the state was written with other oracle or funding parameters (or price bands)");
    }
    byte[] storedConfig = new byte[configLength];
    in.readFully(storedConfig);
    if (!Arrays.equals(storedConfig, extraConfigBytes)) {
      throw new IOException(
          "the state was written with other oracle or funding parameters (or price bands)");
    }
    markets.reset();
    book.reset();
    index.reset();
    int priced = in.readInt();
    for (int i = 0; i < priced; i++) {
      markets.get(in.readInt()).readState(in);
    }
    book.feeBalance = in.readLong();
    book.totalDeposited = in.readLong();
    book.totalWithdrawn = in.readLong();
    if (in.readInt() != AccountBook.FUND_ID) {
      throw new IOException("insurance fund record missing from the risk state");
    }
    readAccount(book.fund(), in);
    int n = in.readInt();
    for (int k = 0; k < n; k++) {
      readAccount(book.getOrCreate(in.readInt()), in);
    }
    if (sampler != null) {
      sampler.readState(in);
    }
  }

  private static void writeAccount(Account a, DataOutput out) throws IOException {
    out.writeInt(a.id);
    out.writeLong(a.collateral);
    int[] order = new int[a.count];
    for (int i = 0; i < a.count; i++) {
      order[i] = (a.markets[i] << 15) | i; // market < 2^16, index < 2^15: sorted by market
    }
    Arrays.sort(order);
    out.writeInt(a.count);
    for (int k : order) {
      int i = k & 0x7FFF;
      out.writeInt(a.markets[i]);
      out.writeLong(a.sizes[i]);
      out.writeLong(a.fundingSnapshots[i]);
      out.writeLong(a.costs[i]);
    }
  }

  private void readAccount(Account a, DataInput in) throws IOException {
    a.collateral = in.readLong();
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      int m = in.readInt();
      long size = in.readLong();
      a.setSize(m, size, in.readLong());
      a.costs[a.find(m)] = in.readLong();
      index.track(a, m);
    }
  }

  /**
   * The oracle and funding configurations and the price bands, canonically (markets ascending), for
   * the state: a snapshot loads only into an engine whose bytes are equal. The bands are written
   * only when there are some, so the bytes (and state hashes) of a configuration without bands are
   * those written before bands existed.
   */
  private static byte[] extraConfigBytes(
      OracleConfig o, FundingConfig f, Map<Integer, Long> priceBandsPpm) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBoolean(o != null);
      if (o != null) {
        writeByKey(
            o.markets(),
            out,
            m -> {
              out.writeInt(m.signers().size());
              for (var key : m.signers()) {
                byte[] k = key.encode();
                out.writeInt(k.length);
                out.write(k);
              }
              out.writeInt(m.quorum());
              out.writeLong(m.maxAgeSeconds());
              out.writeLong(m.maxFutureSeconds());
              out.writeLong(m.maxMovePpm());
            });
      }
      out.writeBoolean(f != null);
      if (f != null) {
        out.writeLong(f.sampleIntervalSeconds());
        out.writeLong(f.tickIntervalSeconds());
        writeByKey(
            f.markets(),
            out,
            m -> {
              out.writeLong(m.impactCollateral());
              out.writeLong(m.interestPpm());
              out.writeLong(m.sampleClampFactorPpm());
              out.writeLong(m.rateClampFactorPpm());
              out.writeLong(m.maxRatePpm());
            });
      }
      if (!priceBandsPpm.isEmpty()) {
        writeByKey(priceBandsPpm, out, out::writeLong);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream: cannot happen
    }
    return bytes.toByteArray();
  }

  /** Writes one value of a map. */
  private interface ValueWriter<V> {
    void write(V value) throws IOException;
  }

  /**
   * A map by {@code int} key, canonically: its size, then each entry in ascending key order as the
   * key and what {@code value} writes of its value.
   */
  private static <V> void writeByKey(Map<Integer, V> map, DataOutput out, ValueWriter<V> value)
      throws IOException {
    Map<Integer, V> sorted = new TreeMap<>(map);
    out.writeInt(sorted.size());
    for (Map.Entry<Integer, V> e : sorted.entrySet()) {
      out.writeInt(e.getKey());
      value.write(e.getValue());
    }
  }

  private static void writeConfig(RiskConfig c, DataOutput out) throws IOException {
    writeByKey(
        c.markets(),
        out,
        p -> {
          out.writeLong(p.initialMarginPpm());
          out.writeLong(p.maintenanceMarginPpm());
          out.writeLong(p.baselinePositionSize());
          out.writeLong(p.incrementalPositionSize());
          out.writeLong(p.incrementalInitialMarginPpm());
          out.writeLong(p.maxPositionSize());
          out.writeLong(p.openInterestCap());
        });
    List<FeeTier> tiers = c.tiers();
    out.writeInt(tiers.size());
    for (FeeTier t : tiers) {
      out.writeLong(t.makerFeePpm());
      out.writeLong(t.takerFeePpm());
    }
    writeByKey(c.accountTiers(), out, out::writeInt);
    int[] iso = c.isolatedMarkets().stream().mapToInt(Integer::intValue).sorted().toArray();
    out.writeInt(iso.length);
    for (int m : iso) {
      out.writeInt(m);
    }
  }

  private static RiskConfig readConfig(DataInput in) throws IOException {
    Map<Integer, MarketRisk> riskMarkets = new TreeMap<>();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      riskMarkets.put(
          in.readInt(),
          new MarketRisk(
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong(),
              in.readLong()));
    }
    int t = in.readInt();
    FeeTier[] tiers = new FeeTier[t];
    for (int i = 0; i < t; i++) {
      tiers[i] = new FeeTier(in.readLong(), in.readLong());
    }
    Map<Integer, Integer> at = new TreeMap<>();
    int a = in.readInt();
    for (int i = 0; i < a; i++) {
      at.put(in.readInt(), in.readInt());
    }
    Set<Integer> iso = new TreeSet<>();
    int n2 = in.readInt();
    for (int i = 0; i < n2; i++) {
      iso.add(in.readInt());
    }
    return new RiskConfig(riskMarkets, List.of(tiers), at, iso);
  }
}
