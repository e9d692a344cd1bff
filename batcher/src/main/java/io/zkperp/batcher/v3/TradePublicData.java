package io.zkperp.batcher.v3;

import java.nio.ByteBuffer;

/**
 * A trade's public data in format v3 ({@code perpstep.PublicDataSize}, docs/perp-circuit.md §5):
 * type ‖ buyer (3) ‖ seller (3) ‖ market (1) ‖ size (7) ‖ price (4) ‖ buyer order nonce (8) ‖
 * seller order nonce (8), big-endian. Meaningful for a trade the executor accepts. Stateless; any
 * thread.
 */
public final class TradePublicData {
  /** Type byte of a trade ({@code perpstep.TypeTrade}). */
  public static final byte TYPE = 0x05;

  /** The length of a trade's public data. */
  public static final int SIZE = 1 + 3 + 3 + 1 + 7 + 4 + 8 + 8;

  private TradePublicData() {}

  /**
   * The trade's public data.
   *
   * @param trade an accepted trade
   * @return {@link #SIZE} bytes
   */
  public static byte[] of(TradeTransaction trade) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).put(TYPE);
    put(b, Integer.toUnsignedLong(trade.buyer().order().account()), 3);
    put(b, Integer.toUnsignedLong(trade.seller().order().account()), 3);
    put(b, trade.market(), 1);
    put(b, trade.size(), 7);
    put(b, trade.price(), 4);
    b.putLong(trade.buyer().order().nonce()).putLong(trade.seller().order().nonce());
    return b.array();
  }

  /** Writes the low {@code bytes} bytes of {@code v}, big-endian. */
  private static void put(ByteBuffer b, long v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      b.put((byte) (v >>> (8 * i)));
    }
  }
}
