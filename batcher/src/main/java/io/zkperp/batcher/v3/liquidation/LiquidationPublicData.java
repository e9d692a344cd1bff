package io.zkperp.batcher.v3.liquidation;

import java.nio.ByteBuffer;

/**
 * The public data of the liquidation steps ({@code docs/perp-circuit.md} §11.5), big-endian, type
 * byte first, as {@code liqstep} encodes them: account ids 3 bytes, market 1, size 7, price 4,
 * nonce and fee 8. Meaningful for a transaction the executor accepts. Stateless; any thread.
 */
public final class LiquidationPublicData {
  /** Type byte of a liquidation fill ({@code liqstep.TypeLiquidation}). */
  public static final byte LIQUIDATION = 0x06;

  /** Type byte of an insurance takeover ({@code liqstep.TypeTakeover}). */
  public static final byte TAKEOVER = 0x07;

  /** Type byte of a deleveraging ({@code liqstep.TypeDeleverage}). */
  public static final byte DELEVERAGE = 0x0B;

  private LiquidationPublicData() {}

  /**
   * The transaction's public data.
   *
   * @param tx the transaction
   * @return 35 bytes (liquidation), 16 (takeover) or 19 (deleveraging)
   */
  public static byte[] of(LiquidationTransaction tx) {
    return switch (tx) {
      case LiquidationFill l -> {
        ByteBuffer b = ByteBuffer.allocate(35).put(LIQUIDATION);
        put(b, l.account(), 3);
        put(b, Integer.toUnsignedLong(l.liquidator().order().account()), 3);
        put(b, l.market(), 1);
        put(b, l.size(), 7);
        put(b, l.price(), 4);
        put(b, l.liquidator().order().nonce(), 8);
        put(b, l.fee(), 8);
        yield b.array();
      }
      case InsuranceTakeover t -> {
        ByteBuffer b = ByteBuffer.allocate(16).put(TAKEOVER);
        put(b, t.account(), 3);
        put(b, t.market(), 1);
        put(b, Math.abs(t.delta()), 7);
        put(b, t.price(), 4);
        yield b.array();
      }
      case Deleveraging d -> {
        ByteBuffer b = ByteBuffer.allocate(19).put(DELEVERAGE);
        put(b, d.account(), 3);
        put(b, d.deleverager(), 3);
        put(b, d.market(), 1);
        put(b, Math.abs(d.delta()), 7);
        put(b, d.price(), 4);
        yield b.array();
      }
    };
  }

  /** The n low bytes of v, big-endian. */
  private static void put(ByteBuffer b, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      b.put((byte) (v >>> (8 * i)));
    }
  }
}
