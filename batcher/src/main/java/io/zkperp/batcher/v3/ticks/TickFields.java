package io.zkperp.batcher.v3.ticks;

import java.nio.ByteBuffer;

/** The checks and the header shared by the tick steps. Stateless; any thread. */
final class TickFields {
  private TickFields() {}

  /**
   * Starts the public data: a big-endian buffer of {@code length} bytes holding type and market.
   */
  static ByteBuffer header(int length, byte type, int market) {
    return ByteBuffer.allocate(length).put(type).put((byte) market);
  }

  /** Checks a market id: layout v2 has markets 0 … 63. */
  static void checkMarket(int market) {
    if (market < 0 || market >= TickStep.MARKETS) {
      throw new TickStepException(
          TickStepError.MARKET_OUT_OF_RANGE,
          "market " + market + " is not a layout v2 market; use 0 … " + (TickStep.MARKETS - 1));
    }
  }

  /** Checks a step's time: the circuit reads times in 0 … 2^63 − 1. */
  static void checkNow(long now) {
    if (now < 0) {
      throw new TickStepException(TickStepError.NEGATIVE_TIME, "time " + now + " is negative");
    }
  }
}
