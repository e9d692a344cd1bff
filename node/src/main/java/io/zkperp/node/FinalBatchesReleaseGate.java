package io.zkperp.node;

import io.zkperp.sequencer.journal.SegmentReleaseGate;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settling node's {@link SegmentReleaseGate}: journal records may leave the journal only once
 * the batch that contains them is {@link BatchStatus#FINAL} on L1, and so is every batch before it
 * — the answer is the last journal sequence of the longest run of final batches from batch 1 (0
 * while batch 1 is not final). Records after the last batch, in no batch yet, are held. Batches
 * only ever become final, so the answer never goes backwards; the gate remembers where the run
 * ended and reads the {@link BatchStore} only from there. If the store cannot be read, the last
 * answer stands (logged at WARN). Thread-safe: called on the snapshot writer thread.
 */
public final class FinalBatchesReleaseGate implements SegmentReleaseGate {
  private static final Logger LOG = LoggerFactory.getLogger(FinalBatchesReleaseGate.class);
  private static final int PAGE = 256;

  private final BatchStore batches;
  private long finalBatches; // batches 1..finalBatches are all FINAL
  private long releasable; // the last journal sequence of batch finalBatches

  /**
   * A gate over the node's batches.
   *
   * @param batches the batch store (closed by its owner after the snapshotter)
   */
  public FinalBatchesReleaseGate(BatchStore batches) {
    this.batches = batches;
  }

  @Override
  public synchronized long releasableJournalSeq() {
    try {
      while (true) {
        List<BatchRecord> next = batches.range(finalBatches + 1, PAGE);
        for (BatchRecord b : next) {
          if (b.number() != finalBatches + 1 || b.status() != BatchStatus.FINAL) {
            return releasable;
          }
          finalBatches = b.number();
          releasable = Math.max(releasable, b.lastSeq());
        }
        if (next.size() < PAGE) {
          return releasable;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot read the batch store; journal segments stay held after record {}", releasable, e);
      return releasable;
    }
  }

  /**
   * How many batches from batch 1 on are final, as of the last {@link #releasableJournalSeq}. Any
   * thread.
   *
   * @return the count
   */
  public synchronized long finalBatches() {
    return finalBatches;
  }
}
