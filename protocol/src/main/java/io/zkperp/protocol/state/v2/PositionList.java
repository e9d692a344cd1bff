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
