package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.StateLayout;
import java.math.BigInteger;

/**
 * The forced trade's message hash (what B signs) and priority operation hash, as Go's {@code
 * messages.ForcedTradeMessage.Hash} and {@code ForcedTradeOp.Hash}. Package-private until {@code
 * protocol} has the forced-trade message (the integrator makes one serve). Any thread.
 */
final class ForcedTradeHashes {
  private static final Fr TAG_MESSAGE = StateLayout.tag("zkperp/forced-trade");
  private static final Fr TAG_OP = StateLayout.tag("zkperp/forced-trade/v1");

  private ForcedTradeHashes() {}

  /**
   * e1 = accountA (32) ‖ accountB (32) ‖ market (16) ‖ aBuys (8) ‖ nonce (64); e2 = size ‖ amount.
   */
  static Fr[] packed(ForcedTradeRequest r) {
    BigInteger e1 =
        BigInteger.valueOf(r.accountA())
            .shiftLeft(32)
            .or(BigInteger.valueOf(r.accountB()))
            .shiftLeft(16)
            .or(BigInteger.valueOf(r.market()))
            .shiftLeft(8)
            .or(BigInteger.valueOf(r.aBuys() ? 1 : 0))
            .shiftLeft(64)
            .or(unsigned(r.nonce()));
    BigInteger e2 = unsigned(r.size()).shiftLeft(64).or(unsigned(r.amount()));
    return new Fr[] {Fr.fromBigInteger(e1), Fr.fromBigInteger(e2)};
  }

  /** H(D_forced_trade, e1, e2), D = H(tag, format version, chain id, rollup address). */
  static Fr messageHash(MessageDomain d, ForcedTradeRequest r) {
    Fr separator =
        Poseidon2.hash(
            TAG_MESSAGE,
            Fr.fromUnsignedLong(MessageDomain.FORMAT_VERSION),
            Fr.fromUnsignedLong(d.chainId()),
            d.rollupAddress().toField());
    Fr[] p = packed(r);
    return Poseidon2.hash(separator, p[0], p[1]);
  }

  /** H(TAG_FORCED_TRADE, e1, e2, ownerA, RX, RY, S): the priority operation L1 queued. */
  static Fr opHash(ForcedTradeRequest r) {
    Fr[] p = packed(r);
    return Poseidon2.hash(TAG_OP, p[0], p[1], r.ownerA().toField(), r.rx(), r.ry(), r.s());
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }
}
