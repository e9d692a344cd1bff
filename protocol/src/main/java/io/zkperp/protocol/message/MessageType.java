package io.zkperp.protocol.message;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.StateLayout;

/**
 * The kinds of domain-separated signed messages, each with its own type tag: the ASCII name read as
 * a big-endian integer ({@link StateLayout#tag}). The tag is the first element of the message's
 * {@linkplain MessageDomain#separator domain separator}. Immutable; any thread.
 */
public enum MessageType {
  /** An order ({@link OrderMessage}): tag {@code "zkperp/order"}. */
  ORDER("zkperp/order"),
  /** A single cancel ({@link CancelOrderMessage}): tag {@code "zkperp/cancel-order"}. */
  CANCEL_ORDER("zkperp/cancel-order"),
  /** A cancel-all ({@link CancelAllMessage}): tag {@code "zkperp/cancel-all"}. */
  CANCEL_ALL("zkperp/cancel-all"),
  /** An oracle price report ({@link OraclePriceMessage}): tag {@code "zkperp/oracle-price"}. */
  ORACLE_PRICE("zkperp/oracle-price"),
  /** An account read grant ({@link ReadGrantMessage}): tag {@code "zkperp/read-grant"}. */
  READ_GRANT("zkperp/read-grant"),
  /**
   * A withdrawal of collateral to the account's L1 owner ({@link WithdrawalMessage}): tag {@code
   * "zkperp/withdrawal"}. For batch format v3; the proving path of batch format v2 still verifies
   * withdrawals in format 1 ({@link TransactionMessages}).
   */
  WITHDRAWAL("zkperp/withdrawal"),
  /**
   * A transfer of collateral between accounts ({@link TransferMessage}): tag {@code
   * "zkperp/transfer"}. For batch format v3, like {@link #WITHDRAWAL}.
   */
  TRANSFER("zkperp/transfer"),
  /**
   * A forced trade account B signs for account A to request on L1 ({@link ForcedTradeMessage}): tag
   * {@code "zkperp/forced-trade"} (docs/perp-circuit.md §12.1).
   */
  FORCED_TRADE("zkperp/forced-trade");

  private final String name;
  private final Fr tag;

  MessageType(String name) {
    this.name = name;
    this.tag = StateLayout.tag(name);
  }

  /**
   * The tag's ASCII name.
   *
   * @return e.g. {@code "zkperp/order"}
   */
  public String tagName() {
    return name;
  }

  /**
   * The type tag as a field element.
   *
   * @return the ASCII name as a big-endian integer
   */
  public Fr tag() {
    return tag;
  }
}
