package io.zkperp.client;

/**
 * A command that cannot reach L1 yet: the node's settlement is paused at a journal record at or
 * before it (a record the circuit cannot prove yet, e.g. an oracle price or a trade), so no batch
 * holding the command is sealed until the node can prove that record. The node says why on {@code
 * GET /health}; the reason is in the message and in {@link #reason()}.
 */
public final class SettlementPausedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long journalSeq;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param journalSeq the command's journal sequence number
   * @param reason the node's reason for the pause ({@code /health}), or empty if it gave none
   */
  public SettlementPausedException(long journalSeq, String reason) {
    super(
        "journal record "
            + journalSeq
            + " cannot reach L1 yet: the node's settlement is paused"
            + (reason.isEmpty() ? "" : " (" + reason + ")"));
    this.journalSeq = journalSeq;
    this.reason = reason;
  }

  /**
   * The command's journal sequence number.
   *
   * @return the sequence number
   */
  public long journalSeq() {
    return journalSeq;
  }

  /**
   * The node's reason for the pause, as {@code GET /health} gives it.
   *
   * @return e.g. {@code paused at journal record 12: …}, or empty
   */
  public String reason() {
    return reason;
  }
}
