package io.zkperp.batcher;

/**
 * Transaction type of a batch slot; {@link #code()} is the type byte of the witness slot and of the
 * public-data chunk. Immutable; any thread.
 */
public enum TxType {
  /** Padding: changes nothing. */
  NOOP(0),
  /** L1 priority operation: creates or credits an account bound to an owner and a key. */
  DEPOSIT(1),
  /** Signed: debits collateral; L1 pays the account's bound owner. */
  WITHDRAWAL(2),
  /** Signed: moves collateral between accounts. */
  TRANSFER(3),
  /**
   * L1 priority operation: serves a forced withdrawal requested on L1 — pays the requested amount
   * to the account's owner if the account holds it, else nothing (the request is consumed either
   * way). Unsigned.
   */
  FORCED_WITHDRAWAL(4);

  private final int code;

  TxType(int code) {
    this.code = code;
  }

  /**
   * The type byte.
   *
   * @return 0 … 4
   */
  public int code() {
    return code;
  }
}
