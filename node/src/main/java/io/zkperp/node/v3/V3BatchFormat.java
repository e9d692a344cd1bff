package io.zkperp.node.v3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.batcher.v3.witness.BatchCommitmentV3;
import io.zkperp.l1.contracts.ZkPerpRollupV3;
import io.zkperp.node.BatchRecord;
import io.zkperp.node.rpc.BatchFormat;
import java.util.Objects;

/**
 * Format v3 batches in {@code perp_getBatches}: the commitment input is the v3 commitment bytes
 * (header R₀ ‖ R_S ‖ number ‖ T ‖ P₀ ‖ P_S ‖ priority count, then the records, each W bytes of the
 * shape), read with {@link V3BatchCommit#header(byte[])} — the header {@code commitBatch} gives L1.
 * Adds {@code format} "v3", the roots, {@code shape}, {@code batchTime} (T, unix seconds), {@code
 * priorityHashBefore} / {@code priorityHashAfter} (P₀, P_S: decimal field elements) and {@code
 * records} (the slots of the shape, padding included). Immutable; any thread.
 */
public final class V3BatchFormat implements BatchFormat {
  private final String shapeName;
  private final int recordSize;

  /**
   * The format of a node sealing one shape.
   *
   * @param shapeName the v3 shape ({@link V3Shapes})
   */
  public V3BatchFormat(String shapeName) {
    this.shapeName = Objects.requireNonNull(shapeName, "shapeName");
    this.recordSize = V3Shapes.shape(shapeName).recordSize();
  }

  @Override
  public void describe(BatchRecord r, ObjectNode entry) {
    byte[] c = r.commitment();
    ZkPerpRollupV3.BatchHeader h = V3BatchCommit.header(c);
    entry.put("format", "v3");
    entry.put("oldStateRoot", h.oldStateRoot.toString());
    entry.put("newStateRoot", h.newStateRoot.toString());
    entry.put("shape", shapeName);
    entry.put("batchTime", h.batchTime.longValueExact());
    entry.put("priorityHashBefore", h.priorityHashBefore.toString());
    entry.put("priorityHashAfter", h.priorityHashAfter.toString());
    entry.put("records", (c.length - BatchCommitmentV3.HEADER_BYTES) / recordSize);
  }
}
