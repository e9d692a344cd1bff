package io.zkperp.l1;

import io.zkperp.batcher.L2Transaction;
import io.zkperp.protocol.field.Fr;

/**
 * One operation of the rollup's L1 priority queue, which batches must consume in order: a {@link
 * L1Deposit} or an {@link L1ForcedWithdrawal}. Immutable; any thread.
 */
public sealed interface L1PriorityOp permits L1Deposit, L1ForcedWithdrawal {
  /**
   * Position in the priority queue (0-based).
   *
   * @return the index
   */
  long index();

  /**
   * The rolling hash after this operation.
   *
   * @return the hash
   */
  Fr priorityHashAfter();

  /**
   * Unix seconds after which, unconsumed, it lets anyone freeze the rollup.
   *
   * @return the deadline
   */
  long deadline();

  /**
   * The L2 transaction consuming this operation.
   *
   * @return the transaction for the batcher
   */
  L2Transaction toTransaction();
}
