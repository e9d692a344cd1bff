package io.zkperp.protocol.state;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Constants of state layout version 1 ({@code docs/state-layout.md}): tree depths, domain tags and
 * empty-subtree hashes. Every value here is checked against the golden vectors generated from
 * gnark-crypto.
 *
 * <p>Immutable; any thread.
 */
public final class StateLayout {
  /** Layout version recorded in every database and vector file. */
  public static final int VERSION = 1;

  /** Depth of the accounts tree: 2^24 accounts. */
  public static final int ACCOUNTS_DEPTH = 24;

  /** Depth of each account's positions tree: one leaf per market, 64 markets. */
  public static final int POSITIONS_DEPTH = 6;

  /** Depth of each account's fills tree: 65,536 slots indexed by order nonce mod 2^16. */
  public static final int FILLS_DEPTH = 16;

  /** Depth of the markets tree: 64 markets. */
  public static final int MARKETS_DEPTH = 6;

  /** Number of markets the layout can hold. */
  public static final int MAX_MARKETS = 1 << MARKETS_DEPTH;

  /** Tag of account leaves. */
  public static final Fr TAG_ACCOUNT = tag("zkperp/account/v1");

  /** Tag of position leaves. */
  public static final Fr TAG_POSITION = tag("zkperp/position/v1");

  /** Tag of fill leaves. */
  public static final Fr TAG_FILL = tag("zkperp/fill/v1");

  /** Tag of market leaves. */
  public static final Fr TAG_MARKET = tag("zkperp/market/v1");

  /** Tag of a market's risk-parameter hash. */
  public static final Fr TAG_MARKET_RISK = tag("zkperp/market-risk/v1");

  /** Tag of the global leaf. */
  public static final Fr TAG_GLOBAL = tag("zkperp/global/v1");

  /** Tag of the state root. */
  public static final Fr TAG_STATE = tag("zkperp/state/v1");

  private static final int MAX_DEPTH = 32;
  private static final Fr[] EMPTY = emptyHashes();

  private StateLayout() {}

  /**
   * The hash of an empty subtree of the given height: Z₀ = 0, Zₕ₊₁ = Compress(Zₕ, Zₕ).
   *
   * @param height 0 (a leaf) to 32
   * @return Zₕ
   */
  public static Fr emptySubtree(int height) {
    if (height < 0 || height > MAX_DEPTH) {
      throw new IllegalArgumentException("height must be in [0, " + MAX_DEPTH + "], got " + height);
    }
    return EMPTY[height];
  }

  /**
   * A domain tag: the ASCII string read as a big-endian integer.
   *
   * @param ascii at most 31 ASCII characters
   * @return the tag
   */
  public static Fr tag(String ascii) {
    byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
    if (b.length > 31) {
      throw new IllegalArgumentException("a tag has at most 31 characters: " + ascii);
    }
    return Fr.fromBigInteger(new BigInteger(1, b));
  }

  private static Fr[] emptyHashes() {
    Fr[] z = new Fr[MAX_DEPTH + 1];
    z[0] = Fr.ZERO;
    for (int h = 1; h <= MAX_DEPTH; h++) {
      z[h] = Poseidon2.compress(z[h - 1], z[h - 1]);
    }
    return z;
  }
}
