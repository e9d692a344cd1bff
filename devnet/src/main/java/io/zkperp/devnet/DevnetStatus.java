package io.zkperp.devnet;

/**
 * A devnet's status. Immutable; any thread.
 *
 * @param lastSealedBatch the settlement's last sealed batch
 * @param lastBatch the newest batch in the store
 * @param lastBatchStatus its state ({@code SEALED} … {@code FINAL}, or {@code NONE})
 * @param pausedAtJournalSeq the journal record the settlement paused at, 0 if it is not paused
 * @param pauseReason why it paused, empty if not
 * @param markets whether markets, the feeder and the market maker run (so trades, prices and
 *     funding, which the circuit does not prove yet, pause the settlement)
 * @param priceBatches the feeder's accepted signed price batches since start
 * @param requotes the market maker's requotes since start
 */
public record DevnetStatus(
    long lastSealedBatch,
    long lastBatch,
    String lastBatchStatus,
    long pausedAtJournalSeq,
    String pauseReason,
    boolean markets,
    long priceBatches,
    long requotes) {

  /**
   * One line for the console.
   *
   * @return e.g. {@code batches: last 3 FINAL; settlement PAUSED at journal record 12: …}
   */
  public String line() {
    String settlement =
        pausedAtJournalSeq == 0
            ? "settling"
            : "settlement PAUSED at journal record "
                + pausedAtJournalSeq
                + " ("
                + pauseReason
                + "; not proven yet)";
    return "status: batches sealed "
        + lastSealedBatch
        + ", newest "
        + lastBatch
        + " "
        + lastBatchStatus
        + "; "
        + settlement
        + (markets ? "; price batches " + priceBatches + ", requotes " + requotes : "");
  }
}
