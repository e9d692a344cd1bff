package io.zkperp.node;

import io.zkperp.batcher.L2Transaction;
import java.util.Map;
import java.util.Objects;

/**
 * What the settlement does with one journaled command ({@link SettlementRecords#translate}).
 * Immutable; any thread.
 */
public sealed interface Translation {
  /** Nothing to settle: the command changed no state the tree holds (orders, cancels, ticks). */
  record Skip() implements Translation {}

  /**
   * One L2 transaction, and what the engine says the touched accounts hold afterwards: the tree
   * must agree, or the settlement pauses.
   *
   * @param tx the transaction
   * @param collateralAfter account → the engine's collateral after the command
   */
  record Settle(L2Transaction tx, Map<Integer, Long> collateralAfter) implements Translation {
    /** Checks and copies. */
    public Settle {
      Objects.requireNonNull(tx, "tx");
      collateralAfter = Map.copyOf(collateralAfter);
    }
  }

  /**
   * A state change the circuit cannot prove yet (trades, prices, funding, liquidations, operator
   * collateral commands): the settlement pauses before it.
   *
   * @param what the command and the records, for the log and the metric
   */
  record Unprovable(String what) implements Translation {
    /** Checks for null. */
    public Unprovable {
      Objects.requireNonNull(what, "what");
    }
  }
}
