package io.zkperp.sequencer.risk;

import io.zkperp.protocol.state.MarketRisk;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One market as the risk engine sees it: its configured risk parameters (null if it has none) and
 * isolation flag, and its changing state: the oracle price (32.32) and its timestamp, the open
 * interest (Σ long sizes), the funding index (32.32) and the time of its last funding tick. Core
 * thread.
 */
final class MarketRiskState {
  final int id;
  final MarketRisk params;
  final boolean isolated;
  final long priceBandPpm; // 0: none
  long oracle;
  long oracleTimestamp;
  long openInterest;
  long fundingIndex;
  long fundingTimestamp;

  MarketRiskState(int id, MarketRisk params, boolean isolated, long priceBandPpm) {
    this.id = id;
    this.params = params;
    this.isolated = isolated;
    this.priceBandPpm = priceBandPpm;
  }

  /** Whether positions can be valued and margined: risk parameters and an oracle price. */
  boolean tradable() {
    return params != null && oracle != 0;
  }

  /**
   * The change of the open interest (Σ long sizes) when one trade takes two accounts' positions in
   * the market from {@code a0}, {@code x0} to {@code a1}, {@code x1}.
   *
   * @throws ArithmeticException if it leaves the 64-bit range
   */
  static long openInterestChange(long a0, long a1, long x0, long x1) {
    return Math.addExact(
        Math.subtractExact(Math.max(0, a1), Math.max(0, a0)),
        Math.subtractExact(Math.max(0, x1), Math.max(0, x0)));
  }

  /** Forgets the changing state (before a state is read into the engine). */
  void reset() {
    oracle = 0;
    oracleTimestamp = 0;
    openInterest = 0;
    fundingIndex = 0;
    fundingTimestamp = 0;
  }

  /**
   * Writes the changing state, in the order {@link #readState} reads it ({@link RiskStateCodec}).
   */
  void writeState(DataOutput out) throws IOException {
    out.writeLong(oracle);
    out.writeLong(oracleTimestamp);
    out.writeLong(openInterest);
    out.writeLong(fundingIndex);
    out.writeLong(fundingTimestamp);
  }

  /** Reads the changing state {@link #writeState} wrote. */
  void readState(DataInput in) throws IOException {
    oracle = in.readLong();
    oracleTimestamp = in.readLong();
    openInterest = in.readLong();
    fundingIndex = in.readLong();
    fundingTimestamp = in.readLong();
  }
}
