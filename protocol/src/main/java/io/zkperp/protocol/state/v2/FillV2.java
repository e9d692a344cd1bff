package io.zkperp.protocol.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import java.math.BigInteger;

/**
 * A fill leaf v2 (fills tree of an account, slot = order nonce mod 2^12).
 *
 * <p>Immutable; any thread.
 *
 * @param orderNonce u64 nonce of the order that owns the slot (≥ 1)
 * @param filledAmount u64 synthetic quanta of that order filled so far
 */
public record FillV2(long orderNonce, long filledAmount) {
  /**
   * The packed element {@code orderNonce + filledAmount·2^64}.
   *
   * @return a 128-bit field element
   */
  public Fr packed() {
    BigInteger nonce = new BigInteger(Long.toUnsignedString(orderNonce));
    BigInteger filled = new BigInteger(Long.toUnsignedString(filledAmount));
    return Fr.fromBigInteger(filled.shiftLeft(64).add(nonce));
  }

  /**
   * {@code H(TAG_FILL_V2, orderNonce + filledAmount·2^64)}.
   *
   * @return the leaf hash
   */
  public Fr leafHash() {
    return Poseidon2.hash(LayoutV2.TAG_FILL, packed());
  }

  /**
   * The slot this fill occupies.
   *
   * @return orderNonce mod 2^12
   */
  public int slot() {
    return LayoutV2.fillSlot(orderNonce);
  }
}
