package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import java.util.Objects;

/**
 * What a format v3 batch takes besides its steps ({@code batchv3.Header} and the state it starts
 * from): the deployment, the batch number, the batch time T (no step may be later), the
 * priority-operation hash before the batch (the rollup's) and the state root before it. Immutable;
 * any thread.
 *
 * @param domain the deployment (chain id, rollup address)
 * @param batchNumber the batch number (unsigned 64 bits)
 * @param batchTime T, Unix seconds (unsigned 64 bits)
 * @param priorityBefore P₀, the priority-operation hash before the batch
 * @param stateRootBefore R₀, the layout v2 state root before the batch
 */
public record BatchHeaderV3(
    MessageDomain domain, long batchNumber, long batchTime, Fr priorityBefore, Fr stateRootBefore) {
  /** Validates that every part is present. */
  public BatchHeaderV3 {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(priorityBefore, "priorityBefore");
    Objects.requireNonNull(stateRootBefore, "stateRootBefore");
  }
}
