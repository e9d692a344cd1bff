package io.zkperp.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.field.Montgomery;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.Position;
import io.zkperp.protocol.state.StateLayout;
import io.zkperp.state.smt.HashWorkers;

/**
 * Leaf hashes of layout v1 on limbs. Every leaf hash starts {@code Compress(0, TAG)}, a per-kind
 * constant precomputed here (layout doc §2), so an account leaf costs 7 compressions instead of 8,
 * a position, fill or global leaf 2, a market 13 and the state root 3. Writer thread only.
 */
final class LeafHasher {
  static final long[] PREFIX_ACCOUNT = prefix(StateLayout.TAG_ACCOUNT);
  static final long[] PREFIX_POSITION = prefix(StateLayout.TAG_POSITION);
  static final long[] PREFIX_FILL = prefix(StateLayout.TAG_FILL);
  static final long[] PREFIX_MARKET = prefix(StateLayout.TAG_MARKET);
  static final long[] PREFIX_RISK = prefix(StateLayout.TAG_MARKET_RISK);
  static final long[] PREFIX_GLOBAL = prefix(StateLayout.TAG_GLOBAL);
  static final long[] PREFIX_STATE = prefix(StateLayout.TAG_STATE);

  static final int ACCOUNT_ELEMENTS = 7;

  private final HashWorkers hashers;
  private final long[] in = new long[7 * 4];

  LeafHasher(HashWorkers hashers) {
    this.hashers = hashers;
  }

  private static long[] prefix(Fr tag) {
    long[] p = new long[4];
    Poseidon2.hash(tag).toMontgomery(p, 0);
    return p;
  }

  /** Writes the 7 account elements after the tag into {@code dst[off..off+28)}. */
  static void accountPreimage(
      Account a, long[] positionsRoot, int po, long[] fillsRoot, int fo, long[] dst, int off) {
    a.publicKeyX().toMontgomery(dst, off);
    a.publicKeyY().toMontgomery(dst, off + 4);
    Montgomery.fromShortBytes(a.owner().toBytes(), 0, L1Address.BYTES, dst, off + 8);
    Montgomery.fromUnsignedLong(a.nonce(), dst, off + 12);
    Montgomery.fromLong(a.collateral(), dst, off + 16);
    System.arraycopy(positionsRoot, po, dst, off + 20, 4);
    System.arraycopy(fillsRoot, fo, dst, off + 24, 4);
  }

  void account(
      Account a, long[] positionsRoot, int po, long[] fillsRoot, int fo, long[] out, int oo) {
    accountPreimage(a, positionsRoot, po, fillsRoot, fo, in, 0);
    chain(PREFIX_ACCOUNT, 7, out, oo);
  }

  /** Many account leaves at once (parallel when the workers have threads). */
  void accounts(long[] preimages, int count, long[] out) {
    hashers.chains(PREFIX_ACCOUNT, preimages, ACCOUNT_ELEMENTS, out, count);
  }

  static void positionPreimage(Position p, long[] dst, int off) {
    Montgomery.fromLong(p.size(), dst, off);
    Montgomery.fromLong(p.fundingIndexSnapshot(), dst, off + 4);
  }

  static void fillPreimage(Fill f, long[] dst, int off) {
    Montgomery.fromUnsignedLong(f.orderNonce(), dst, off);
    Montgomery.fromUnsignedLong(f.filledAmount(), dst, off + 4);
  }

  void position(Position p, long[] out, int oo) {
    if (p.isEmpty()) {
      java.util.Arrays.fill(out, oo, oo + 4, 0L);
      return;
    }
    positionPreimage(p, in, 0);
    chain(PREFIX_POSITION, 2, out, oo);
  }

  /** Many two-element leaves (positions, fills) with one prefix. */
  void pairs(long[] prefix, long[] preimages, int count, long[] out) {
    hashers.chains(prefix, preimages, 2, out, count);
  }

  void fill(Fill f, long[] out, int oo) {
    fillPreimage(f, in, 0);
    chain(PREFIX_FILL, 2, out, oo);
  }

  void global(GlobalState g, long[] out, int oo) {
    Montgomery.fromLong(g.insuranceFund(), in, 0);
    Montgomery.fromLong(g.feeBalance(), in, 4);
    chain(PREFIX_GLOBAL, 2, out, oo);
  }

  void market(Market m, long[] out, int oo) {
    MarketRisk r = m.risk();
    Montgomery.fromUnsignedLong(r.initialMarginPpm(), in, 0);
    Montgomery.fromUnsignedLong(r.maintenanceMarginPpm(), in, 4);
    Montgomery.fromUnsignedLong(r.baselinePositionSize(), in, 8);
    Montgomery.fromUnsignedLong(r.incrementalPositionSize(), in, 12);
    Montgomery.fromUnsignedLong(r.incrementalInitialMarginPpm(), in, 16);
    Montgomery.fromUnsignedLong(r.maxPositionSize(), in, 20);
    Montgomery.fromUnsignedLong(r.openInterestCap(), in, 24);
    long[] risk = new long[4];
    chain(PREFIX_RISK, 7, risk, 0);
    Montgomery.fromUnsignedLong(m.oraclePrice(), in, 0);
    Montgomery.fromUnsignedLong(m.oracleTimestamp(), in, 4);
    Montgomery.fromLong(m.fundingIndex(), in, 8);
    Montgomery.fromUnsignedLong(m.fundingTimestamp(), in, 12);
    Montgomery.fromUnsignedLong(m.openInterest(), in, 16);
    System.arraycopy(risk, 0, in, 20, 4);
    chain(PREFIX_MARKET, 6, out, oo);
  }

  void stateRoot(long[] accountsRoot, long[] marketsRoot, long[] globalLeaf, long[] out) {
    System.arraycopy(accountsRoot, 0, in, 0, 4);
    System.arraycopy(marketsRoot, 0, in, 4, 4);
    System.arraycopy(globalLeaf, 0, in, 8, 4);
    chain(PREFIX_STATE, 3, out, 0);
  }

  private void chain(long[] prefix, int elements, long[] out, int oo) {
    long[] o = new long[4];
    hashers.chains(prefix, in, elements, o, 1);
    System.arraycopy(o, 0, out, oo, 4);
  }
}
