package io.zkperp.sequencer.risk.oracle;

/**
 * Why a batch of price reports was rejected. A rejected batch changes nothing. Codes are stable
 * (the lead may map them onto {@code RejectReason.INVALID_ORACLE_PRICE} with the message).
 * Immutable; any thread.
 */
public enum OracleRejection {
  /** The market has no oracle configuration. */
  MARKET_NOT_CONFIGURED(1),
  /** A report is for another market than the batch. */
  MARKET_MISMATCH(2),
  /** A report names a signer index that is not in the market's signer set. */
  UNKNOWN_SIGNER(3),
  /** Two reports of the batch come from the same signer. */
  DUPLICATE_SIGNER(4),
  /** A report's price is zero or negative. */
  NON_POSITIVE_PRICE(5),
  /** A report's timestamp is older than {@code now − maxAgeSeconds}. */
  STALE(6),
  /** A report's timestamp is later than {@code now + maxFutureSeconds}. */
  FUTURE_TIMESTAMP(7),
  /** Fewer reports than the quorum. */
  QUORUM_NOT_MET(8),
  /** The batch's oldest report is not newer than the previously accepted price's timestamp. */
  NOT_NEWER(9),
  /** A signature is malformed or does not verify against the signer's key. */
  BAD_SIGNATURE(10),
  /** The median moves more than {@code maxMovePpm} from the previously accepted price. */
  MOVE_TOO_LARGE(11);

  private final int code;

  OracleRejection(int code) {
    this.code = code;
  }

  /**
   * The stable numeric code.
   *
   * @return the code
   */
  public int code() {
    return code;
  }
}
