package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.state.v2.LayoutV2;
import java.util.List;

/**
 * A format v3 batch shape ({@code batchv3.Shape}): the slot count of each step group, N (the list
 * entries a trade reads per account), K (the market table of trades and collateral steps) and the
 * report slots of an oracle tick. One circuit, one verifying key per shape. Immutable; any thread.
 *
 * @param trades trade slots
 * @param deposits deposit slots
 * @param withdrawals withdrawal slots
 * @param transfers transfer slots
 * @param forcedWithdrawals forced-withdrawal slots
 * @param oracleTicks oracle-tick slots
 * @param fundingTicks funding-tick slots
 * @param n list entries a trade reads per account (1 … 8 with trade slots, else 0)
 * @param k table markets 0 … k − 1 (1 … 64 with trade or collateral slots, else 0)
 * @param reportSlots report slots of an oracle tick (1 … 16 with oracle-tick slots, else 0)
 */
public record BatchShape(
    int trades,
    int deposits,
    int withdrawals,
    int transfers,
    int forcedWithdrawals,
    int oracleTicks,
    int fundingTicks,
    int n,
    int k,
    int reportSlots) {
  /** The largest step count: σ is encoded in 2 bytes. */
  public static final int MAX_STEPS = 1 << 16;

  /**
   * S, the steps of a batch of this shape (every slot of every group).
   *
   * @return the slot count
   */
  public int steps() {
    long s = 0;
    for (StepGroup g : StepGroup.values()) {
      s += slots(g);
    }
    return (int) Math.min(s, Integer.MAX_VALUE);
  }

  /**
   * A group's slot count.
   *
   * @param g the group
   * @return its slots
   */
  public int slots(StepGroup g) {
    return switch (g) {
      case TRADE -> trades;
      case DEPOSIT -> deposits;
      case WITHDRAWAL -> withdrawals;
      case TRANSFER -> transfers;
      case FORCED_WITHDRAWAL -> forcedWithdrawals;
      case ORACLE_TICK -> oracleTicks;
      case FUNDING_TICK -> fundingTicks;
    };
  }

  /**
   * The record width W: the longest public data of the groups with slots.
   *
   * @return W in bytes
   */
  public int recordSize() {
    int w = 0;
    for (StepGroup g : StepGroup.values()) {
      if (slots(g) > 0) {
        w = Math.max(w, g.recordBytes());
      }
    }
    return w;
  }

  /**
   * Checks the shape is one the Go prover builds ({@code Shape.Check}): no negative group, 1 … 2^16
   * steps, N in 1 … 8 with trade slots (else 0), K in 1 … 64 with trade or collateral slots (else
   * 0), report slots in 1 … 16 with oracle-tick slots (else 0).
   *
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}
   */
  public void check() throws BatchWitnessException {
    for (int g :
        List.of(
            trades,
            deposits,
            withdrawals,
            transfers,
            forcedWithdrawals,
            oracleTicks,
            fundingTicks)) {
      if (g < 0) {
        throw refused("a negative slot group");
      }
    }
    long s = (long) trades + deposits + withdrawals + transfers + forcedWithdrawals;
    s += (long) oracleTicks + fundingTicks;
    boolean table = (long) trades + deposits + withdrawals + transfers + forcedWithdrawals > 0;
    if (s < 1 || s > MAX_STEPS) {
      throw refused(s + " steps");
    }
    if (trades > 0 ? n < 1 || n > LayoutV2.MAX_POSITIONS : n != 0) {
      throw refused("N = " + n + " with " + trades + " trade slots");
    }
    if (table ? k < 1 || k > 1 << LayoutV2.MARKETS_DEPTH : k != 0) {
      throw refused("K = " + k);
    }
    if (oracleTicks > 0
        ? reportSlots < 1 || reportSlots > LayoutV2.ORACLE_SIGNER_SLOTS
        : reportSlots != 0) {
      throw refused(reportSlots + " report slots with " + oracleTicks + " oracle-tick slots");
    }
  }

  private BatchWitnessException refused(String why) {
    return new BatchWitnessException(BatchWitnessError.SHAPE, -1, why + " (" + this + ")");
  }
}
