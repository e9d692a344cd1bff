package io.zkperp.state;

/**
 * Why a state-store operation was refused. Every {@link StateStoreException} carries one; callers
 * switch on it instead of parsing messages. Unless a constant says otherwise, an operation that
 * fails with it has changed nothing: neither the committed state nor the open batch.
 */
public enum StateError {
  /**
   * A tree index outside its tree: an account id outside [0, 2^24), a market id outside [0, 64), a
   * fill slot outside [0, 2^16), or a negative index.
   */
  INDEX_OUT_OF_RANGE,
  /** A position or fill addressed to an account that does not exist (in the batch or committed). */
  ACCOUNT_NOT_FOUND,
  /** A witness-mode update of a market that is not listed (layout v2, {@code StateBatchV2}). */
  MARKET_NOT_FOUND,
  /** A version that is not kept: older than the oldest kept version, or newer than the latest. */
  VERSION_NOT_KEPT,
  /**
   * The database was written with another layout version or other tree depths ({@link
   * StateLayoutMismatchException}).
   */
  LAYOUT_MISMATCH,
  /**
   * Stored bytes that do not decode: a wrong length, a field element not below r, a record that
   * does not parse, or metadata that is missing or inconsistent. When a batch operation hits it,
   * the batch is failed (only {@link StateBatch#abort()} remains) but the committed state is
   * unchanged.
   */
  CORRUPTED_DATA,
  /** {@link RollupStateStore#beginBatch()} or a rollback while another batch is open. */
  BATCH_ALREADY_OPEN,
  /** An operation on a batch that was committed, aborted or failed. */
  BATCH_CLOSED,
  /** An operation on a closed store or on a view of a closed store. */
  STORE_CLOSED,
  /** An invalid option value when opening a store. */
  INVALID_OPTION,
  /**
   * RocksDB reported an I/O or internal error. A failed commit writes nothing (its write batch is
   * atomic); the batch is failed.
   */
  STORAGE_FAILURE
}
