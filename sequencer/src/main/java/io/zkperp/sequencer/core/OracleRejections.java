package io.zkperp.sequencer.core;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.risk.oracle.OracleResult;

/** The typed reject reason of each oracle-batch rejection. Stateless; any thread. */
public final class OracleRejections {
  private OracleRejections() {}

  /**
   * The typed reason of a rejected signed batch.
   *
   * @param r the aggregator's rejection
   * @return the matching {@code ORACLE_*} reason
   */
  public static RejectReason reason(OracleResult.Rejected r) {
    return switch (r.reason()) {
      case MARKET_NOT_CONFIGURED -> RejectReason.ORACLE_MARKET_NOT_CONFIGURED;
      case MARKET_MISMATCH -> RejectReason.ORACLE_MARKET_MISMATCH;
      case UNKNOWN_SIGNER -> RejectReason.ORACLE_UNKNOWN_SIGNER;
      case DUPLICATE_SIGNER -> RejectReason.ORACLE_DUPLICATE_SIGNER;
      case NON_POSITIVE_PRICE -> RejectReason.ORACLE_NON_POSITIVE_PRICE;
      case STALE -> RejectReason.ORACLE_STALE;
      case FUTURE_TIMESTAMP -> RejectReason.ORACLE_FUTURE_TIMESTAMP;
      case QUORUM_NOT_MET -> RejectReason.ORACLE_QUORUM_NOT_MET;
      case NOT_NEWER -> RejectReason.ORACLE_NOT_NEWER;
      case BAD_SIGNATURE -> RejectReason.ORACLE_BAD_SIGNATURE;
      case MOVE_TOO_LARGE -> RejectReason.ORACLE_MOVE_TOO_LARGE;
    };
  }
}
