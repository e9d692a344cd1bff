package io.zkperp.sequencer.risk.oracle;

import io.zkperp.protocol.message.MessageDomain;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accepted oracle price of each market: applies {@link OracleAggregator} to submitted batches
 * and keeps the last accepted price as the "previous" of the next batch. A rejected batch changes
 * nothing. Its state (the accepted price and timestamp per market) is deterministic given the
 * journaled batches and times, and can be written into a snapshot. Confined to the core thread.
 */
public final class OraclePrices {
  private final OracleAggregator aggregator;
  private final TreeMap<Integer, OracleResult.Accepted> accepted = new TreeMap<>();

  /**
   * Creates an empty price table (no market has a price yet).
   *
   * @param config the oracle configuration
   */
  public OraclePrices(OracleConfig config) {
    this.aggregator = new OracleAggregator(config);
  }

  /**
   * Validates a batch and, if it is accepted, makes its median the market's price. Core thread.
   *
   * @param market the market
   * @param reports the signed reports
   * @param now the core's journaled time, seconds
   * @param domain the deployment the reports must be signed for
   * @return the accepted price, or the rejection (then nothing changed)
   */
  public OracleResult submit(
      int market, List<PriceReport> reports, long now, MessageDomain domain) {
    OracleResult r = aggregator.aggregate(market, reports, now, accepted.get(market), domain);
    if (r instanceof OracleResult.Accepted a) {
      accepted.put(market, a);
    }
    return r;
  }

  /**
   * {@link #submit} for a batch whose signatures the intake threads already verified with {@link
   * OracleAggregator#verifySignatures} (see {@link OracleAggregator#aggregatePreverified}). Core
   * thread.
   *
   * @param market the market
   * @param reports the signed reports, signatures verified
   * @param now the core's journaled time, seconds
   * @return the accepted price, or the rejection (then nothing changed)
   */
  public OracleResult submitPreverified(int market, List<PriceReport> reports, long now) {
    OracleResult r = aggregator.aggregatePreverified(market, reports, now, accepted.get(market));
    if (r instanceof OracleResult.Accepted a) {
      accepted.put(market, a);
    }
    return r;
  }

  /**
   * The aggregator (for {@link OracleAggregator#verifySignatures} on the intake threads).
   *
   * @return it
   */
  public OracleAggregator aggregator() {
    return aggregator;
  }

  /**
   * The market's current accepted price. Core thread.
   *
   * @param market the market
   * @return the last accepted result, or null if the market has no price yet
   */
  public OracleResult.Accepted current(int market) {
    return accepted.get(market);
  }

  /**
   * All current prices, by market. Core thread.
   *
   * @return an immutable copy
   */
  public Map<Integer, OracleResult.Accepted> all() {
    return Map.copyOf(accepted);
  }

  /**
   * Writes the state (markets in ascending id order: count, then market, price, timestamp,
   * signers). Core thread.
   *
   * @param out the snapshot stream
   * @throws IOException on a write failure
   */
  public void writeState(DataOutput out) throws IOException {
    out.writeInt(accepted.size());
    for (OracleResult.Accepted a : accepted.values()) {
      out.writeInt(a.market());
      out.writeLong(a.price());
      out.writeLong(a.timestamp());
      out.writeInt(a.signers());
    }
  }

  /**
   * Replaces the state with one written by {@link #writeState}. Core thread.
   *
   * @param in the snapshot stream
   * @throws IOException on a read failure or a malformed state (then nothing changed)
   */
  public void readState(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 0x10000) {
      throw new IOException("bad oracle market count " + n);
    }
    TreeMap<Integer, OracleResult.Accepted> read = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      OracleResult.Accepted a =
          new OracleResult.Accepted(in.readInt(), in.readLong(), in.readLong(), in.readInt());
      if (a.price() <= 0 || a.signers() <= 0 || read.put(a.market(), a) != null) {
        throw new IOException("bad oracle price entry " + a);
      }
    }
    accepted.clear();
    accepted.putAll(read);
  }
}
