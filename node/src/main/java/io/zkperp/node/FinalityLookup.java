package io.zkperp.node;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where a journaled command stands in settlement, from the {@link BatchStore} and the {@link
 * Settlement}: in a batch (with the batch's status), still waiting ({@code accepted}), or behind a
 * pause. Any thread.
 */
public final class FinalityLookup {
  /**
   * The answer.
   *
   * @param journalSeq the command's journal sequence
   * @param status "accepted", "paused", or the batch's {@link BatchStatus} name
   * @param batch the batch holding it, if any
   */
  public record Finality(long journalSeq, String status, Optional<BatchRecord> batch) {}

  private final BatchStore batches;
  private final SettlementStage settlement;

  /**
   * The lookup.
   *
   * @param batches the batch store
   * @param settlement the settlement (its pause)
   */
  public FinalityLookup(BatchStore batches, SettlementStage settlement) {
    this.batches = batches;
    this.settlement = settlement;
  }

  /**
   * Where {@code journalSeq} stands. A command between two batches' ranges changed nothing the tree
   * holds (an order that did not fill, a cancel): it is as final as the batch after it.
   *
   * @param journalSeq the command's journal sequence
   * @return its finality
   * @throws IOException if the store cannot be read
   */
  public Finality of(long journalSeq) throws IOException {
    // batches are few per second: a binary search over numbers keeps this O(log n) reads
    Optional<BatchRecord> last = batches.last();
    if (last.isEmpty() || last.get().lastSeq() < journalSeq) {
      long paused = settlement.pausedAt();
      return new Finality(
          journalSeq,
          paused != 0 && paused <= journalSeq ? "paused" : "accepted",
          Optional.empty());
    }
    long lo = 1;
    long hi = last.get().number();
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      List<BatchRecord> r = batches.range(mid, 1);
      if (r.get(0).lastSeq() < journalSeq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    BatchRecord b = batches.get(lo).orElseThrow();
    return new Finality(journalSeq, b.status().name(), Optional.of(b));
  }
}
