package io.zkperp.node.v3;

import io.zkperp.node.BatchRecord;

/**
 * A sealed format v3 batch as the node's {@link io.zkperp.node.BatchStore} keeps it for the proving
 * stage and the L1 submitter: the witness the prover takes ({@code witness().witness()}) and, as
 * the commitment input, the v3 commitment bytes (header, then records), whose SHA-256 with the top
 * three bits cleared is the public input the proving stage checks and from which {@link
 * RollupV3Contract} builds {@code commitBatch}. Stateless.
 */
final class V3BatchRecords {
  private V3BatchRecords() {}

  /**
   * The freshly sealed record of a batch.
   *
   * @param b the batch
   * @return the record, SEALED, its journal range the first and last live step's command
   */
  static BatchRecord sealed(SealedBatchV3 b) {
    return BatchRecord.sealed(
        b.batchNumber(),
        b.origins().get(0).seq(),
        b.origins().get(b.liveSteps() - 1).seq(),
        b.liveSteps(),
        b.witness().priorityCount(),
        b.priorityAfter().toBytes(),
        b.witness().witness(),
        b.witness().commitment());
  }
}
