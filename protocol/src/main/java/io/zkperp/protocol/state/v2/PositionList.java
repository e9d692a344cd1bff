package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * An account's fixed list of {@value LayoutV2#MAX_POSITIONS} position entries, no market held by
 * two non-empty entries. Packed into four field elements: {@code q_k = entry_{2k} +
 * entry_{2k+1}·2^126} (k = 0 … 3, entries numbered from 0).
 *
 * <p>Immutable; any thread.
 *
 * @param entries exactly 8 entries
 */
public record PositionList(List<PositionEntry> entries) {
  /** The list with every entry empty. */
  public static final PositionList EMPTY =
      new PositionList(java.util.Collections.nCopies(LayoutV2.MAX_POSITIONS, PositionEntry.EMPTY));

  /** Number of packed elements. */
  public static final int ELEMENTS = LayoutV2.MAX_POSITIONS / 2;

  private static final BigInteger ENTRY_MASK =
      BigInteger.ONE.shiftLeft(PositionEntry.BITS).subtract(BigInteger.ONE);

  /**
   * Validates the length and that markets are distinct among non-empty entries.
   *
   * @throws InvalidStateFieldException {@link StateFieldError#WRONG_LENGTH} or {@link
   *     StateFieldError#DUPLICATE_MARKET}
   */
  public PositionList {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    if (entries.size() != LayoutV2.MAX_POSITIONS) {
      throw new InvalidStateFieldException(
          StateFieldError.WRONG_LENGTH, entries.size() + " position entries, need 8");
    }
    long seen = 0;
    for (PositionEntry e : entries) {
      if (e.isEmpty()) {
        continue;
      }
      long bit = 1L << e.market();
      if ((seen & bit) != 0) {
        throw new InvalidStateFieldException(
            StateFieldError.DUPLICATE_MARKET, "market " + e.market() + " held twice");
      }
      seen |= bit;
    }
  }

  /**
   * The index of the non-empty entry holding a market.
   *
   * @param market market id
   * @return the index, or −1
   */
  public int find(int market) {
    for (int i = 0; i < entries.size(); i++) {
      PositionEntry e = entries.get(i);
      if (!e.isEmpty() && e.market() == market) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The list with the position in {@code market} set, by the rule every writer of the list follows
   * ({@code docs/state-layout.md} §9.4): an entry holding the market is updated in place, and
   * emptied when {@code size} is 0; a position in a new market takes the lowest-index empty entry;
   * no other entry moves.
   *
   * @param market market id, 0 … 63
   * @param size the new size (0 closes the position)
   * @param fundingSnapshot the position's funding snapshot
   * @return the new list (this one is unchanged)
   * @throws InvalidStateFieldException {@link StateFieldError#TOO_MANY_POSITIONS} when the market
   *     is new and every entry is taken, {@link StateFieldError#POSITION_OUT_OF_RANGE} for a value
   *     that does not fit
   */
  public PositionList with(int market, long size, long fundingSnapshot) {
    if (market < 0 || market > PositionEntry.MAX_MARKET) {
      throw new InvalidStateFieldException(
          StateFieldError.POSITION_OUT_OF_RANGE, "market " + market + " is not in [0, 63]");
    }
    PositionEntry entry = new PositionEntry(market, size, fundingSnapshot);
    int at = find(market);
    if (at < 0 && size == 0) {
      return this;
    }
    if (at < 0) {
      for (int i = 0; i < entries.size() && at < 0; i++) {
        if (entries.get(i).isEmpty()) {
          at = i;
        }
      }
      if (at < 0) {
        throw new InvalidStateFieldException(
            StateFieldError.TOO_MANY_POSITIONS,
            "market " + market + ": all " + LayoutV2.MAX_POSITIONS + " entries are taken");
      }
    }
    java.util.List<PositionEntry> next = new java.util.ArrayList<>(entries);
    next.set(at, entry);
    return new PositionList(next);
  }

  /**
   * Number of non-empty entries.
   *
   * @return open positions, 0 … 8
   */
  public int openPositions() {
    return (int) entries.stream().filter(e -> !e.isEmpty()).count();
  }

  /**
   * The four packed elements q₁ … q₄.
   *
   * @return 4 field elements, each below 2^252
   */
  public Fr[] pack() {
    Fr[] q = new Fr[ELEMENTS];
    for (int k = 0; k < ELEMENTS; k++) {
      BigInteger lo = entries.get(2 * k).pack();
      BigInteger hi = entries.get(2 * k + 1).pack();
      q[k] = Fr.fromBigInteger(hi.shiftLeft(PositionEntry.BITS).add(lo));
    }
    return q;
  }

  /**
   * Inverts {@link #pack()}: accepts exactly the elements it produces.
   *
   * @param q four field elements
   * @return the list
   * @throws InvalidStateFieldException {@link StateFieldError#WRONG_LENGTH}, {@link
   *     StateFieldError#NON_CANONICAL_ENTRY} or {@link StateFieldError#DUPLICATE_MARKET}
   */
  public static PositionList unpack(Fr... q) {
    if (q.length != ELEMENTS) {
      throw new InvalidStateFieldException(
          StateFieldError.WRONG_LENGTH, q.length + " packed elements, need 4");
    }
    PositionEntry[] entries = new PositionEntry[LayoutV2.MAX_POSITIONS];
    for (int k = 0; k < ELEMENTS; k++) {
      BigInteger v = q[k].toBigInteger();
      if (v.bitLength() > 2 * PositionEntry.BITS) {
        throw new InvalidStateFieldException(
            StateFieldError.NON_CANONICAL_ENTRY, "element " + k + " has more than 252 bits");
      }
      entries[2 * k] = PositionEntry.unpack(v.and(ENTRY_MASK));
      entries[2 * k + 1] = PositionEntry.unpack(v.shiftRight(PositionEntry.BITS));
    }
    return new PositionList(List.of(entries));
  }
}
