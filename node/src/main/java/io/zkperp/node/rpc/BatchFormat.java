package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.node.BatchRecord;

/**
 * What a batch's commitment input says in {@code perp_getBatches}, per batch format: the state
 * roots before and after it, the format's name and its own fields. The node picks one when it opens
 * ({@link #V2} for format v2 on layout v1; {@code io.zkperp.node.v3.V3BatchFormat} for format v3),
 * so no read method asks which format it serves. Implementations are stateless; any thread.
 */
public interface BatchFormat {
  /** Format v2 (layout v1): the commitment input starts with the old and the new state root. */
  BatchFormat V2 = new V2BatchFormat();

  /**
   * Adds {@code format}, {@code oldStateRoot}, {@code newStateRoot} (decimal field elements) and
   * the format's own fields to a batch's entry.
   *
   * @param r the stored batch
   * @param entry the entry being built ({@link SettlementMethods#batch}'s fields)
   */
  void describe(BatchRecord r, ObjectNode entry);
}
