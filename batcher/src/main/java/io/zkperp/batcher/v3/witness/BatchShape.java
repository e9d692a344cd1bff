package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.state.v2.LayoutV2;

/**
 * A format v3 batch shape ({@code batchv3.Shape}): the slot count of each step group, N (the list
 * entries a trade, a liquidation fill, a takeover or a deleveraging reads per account), K (the
 * market table of those and of the collateral steps), the report slots of an oracle tick and the
 * deployment's liquidation fee rate (a constant of the liquidation step's circuit). The four later
 * groups (liquidations, takeovers, deleveragings, funding period starts) and the fee rate are 0 in
 * a shape built with the ten-argument constructor, which encodes exactly as before they existed.
 * One circuit, one verifying key per shape. Immutable; any thread.
 *
 * @param trades trade slots
 * @param deposits deposit slots
 * @param withdrawals withdrawal slots
 * @param transfers transfer slots
 * @param forcedWithdrawals forced-withdrawal slots
 * @param oracleTicks oracle-tick slots
 * @param fundingTicks funding-tick slots
 * @param liquidations liquidation-fill slots
 * @param takeovers insurance-takeover slots
 * @param deleverages deleveraging slots
 * @param periodStarts funding-period-start slots
 * @param n list entries per account (1 … 8 with trade, liquidation, takeover or deleveraging slots,
 *     else 0)
 * @param k table markets 0 … k − 1 (1 … 64 with those or collateral slots, else 0)
 * @param reportSlots report slots of an oracle tick (1 … 16 with oracle-tick slots, else 0)
 * @param liquidationFeePpm the liquidation fee rate, 0 … 10^6 with liquidation slots (else 0)
 * @param forcedTrades forced-trade slots ({@code Shape.ForcedTrades}: a later group whose size
 *     follows the header extension; 0 in a shape built with the shorter constructors)
 */
public record BatchShape(
    int trades,
    int deposits,
    int withdrawals,
    int transfers,
    int forcedWithdrawals,
    int oracleTicks,
    int fundingTicks,
    int liquidations,
    int takeovers,
    int deleverages,
    int periodStarts,
    int n,
    int k,
    int reportSlots,
    long liquidationFeePpm,
    int forcedTrades) {
  /** The largest step count: σ is encoded in 2 bytes. */
  public static final int MAX_STEPS = 1 << 16;

  /** The largest slot count of one group: its size is encoded in 2 bytes. */
  public static final int MAX_GROUP = (1 << 16) - 1;

  /** The largest liquidation fee rate, 10^6 ppm. */
  public static final long MAX_FEE_PPM = 1_000_000;

  /**
   * A shape without forced-trade slots.
   *
   * @param trades trade slots
   * @param deposits deposit slots
   * @param withdrawals withdrawal slots
   * @param transfers transfer slots
   * @param forcedWithdrawals forced-withdrawal slots
   * @param oracleTicks oracle-tick slots
   * @param fundingTicks funding-tick slots
   * @param liquidations liquidation-fill slots
   * @param takeovers insurance-takeover slots
   * @param deleverages deleveraging slots
   * @param periodStarts funding-period-start slots
   * @param n list entries per account
   * @param k table markets
   * @param reportSlots report slots of an oracle tick
   * @param liquidationFeePpm the liquidation fee rate
   */
  public BatchShape(
      int trades,
      int deposits,
      int withdrawals,
      int transfers,
      int forcedWithdrawals,
      int oracleTicks,
      int fundingTicks,
      int liquidations,
      int takeovers,
      int deleverages,
      int periodStarts,
      int n,
      int k,
      int reportSlots,
      long liquidationFeePpm) {
    this(
        trades,
        deposits,
        withdrawals,
        transfers,
        forcedWithdrawals,
        oracleTicks,
        fundingTicks,
        liquidations,
        takeovers,
        deleverages,
        periodStarts,
        n,
        k,
        reportSlots,
        liquidationFeePpm,
        0);
  }

  /**
   * A shape without the later groups (liquidations, takeovers, deleveragings, funding period
   * starts) and with fee rate 0.
   *
   * @param trades trade slots
   * @param deposits deposit slots
   * @param withdrawals withdrawal slots
   * @param transfers transfer slots
   * @param forcedWithdrawals forced-withdrawal slots
   * @param oracleTicks oracle-tick slots
   * @param fundingTicks funding-tick slots
   * @param n list entries a trade reads per account
   * @param k table markets
   * @param reportSlots report slots of an oracle tick
   */
  public BatchShape(
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
    this(
        trades,
        deposits,
        withdrawals,
        transfers,
        forcedWithdrawals,
        oracleTicks,
        fundingTicks,
        0,
        0,
        0,
        0,
        n,
        k,
        reportSlots,
        0);
  }

  /**
   * S, the steps of a batch of this shape (every slot of every group).
   *
   * @return the slot count
   */
  public int steps() {
    return (int) Math.min(sum(StepGroup.values()), Integer.MAX_VALUE);
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
      case LIQUIDATION -> liquidations;
      case TAKEOVER -> takeovers;
      case DELEVERAGING -> deleverages;
      case FUNDING_PERIOD_START -> periodStarts;
      case FORCED_TRADE -> forcedTrades;
    };
  }

  /**
   * Whether the shape has a slot in one of the later groups ({@code Shape.HasLaterGroups}): only
   * such a shape's header has the extension (the later group sizes and the liquidation fee rate).
   *
   * @return true if a later group has slots
   */
  public boolean hasLaterGroups() {
    for (StepGroup g : StepGroup.values()) {
      if (g.isLater() && slots(g) != 0) {
        return true;
      }
    }
    return false;
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
   * Checks the shape is one the Go prover builds ({@code Shape.Check}): no negative group and none
   * above 65,535 slots, 1 … 2^16 steps, N in 1 … 8 with trade, liquidation, takeover or
   * deleveraging slots (else 0), K in 1 … 64 with those or collateral slots (else 0), report slots
   * in 1 … 16 with oracle-tick slots (else 0), the liquidation fee rate in 0 … 10^6 with
   * liquidation slots (else 0).
   *
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}
   */
  public void check() throws BatchWitnessException {
    for (StepGroup g : StepGroup.values()) {
      if (slots(g) < 0 || slots(g) > MAX_GROUP) {
        throw refused("a slot group of " + slots(g) + " slots");
      }
    }
    long s = sum(StepGroup.values());
    long positions =
        sum(
            StepGroup.TRADE,
            StepGroup.LIQUIDATION,
            StepGroup.TAKEOVER,
            StepGroup.DELEVERAGING,
            StepGroup.FORCED_TRADE);
    long collateral =
        sum(
            StepGroup.DEPOSIT,
            StepGroup.WITHDRAWAL,
            StepGroup.TRANSFER,
            StepGroup.FORCED_WITHDRAWAL);
    if (s < 1 || s > MAX_STEPS) {
      throw refused(s + " steps");
    }
    if (positions > 0 ? n < 1 || n > LayoutV2.MAX_POSITIONS : n != 0) {
      throw refused("N = " + n + " with " + positions + " trade and liquidation slots");
    }
    if (positions + collateral > 0 ? k < 1 || k > 1 << LayoutV2.MARKETS_DEPTH : k != 0) {
      throw refused("K = " + k);
    }
    if (oracleTicks > 0
        ? reportSlots < 1 || reportSlots > LayoutV2.ORACLE_SIGNER_SLOTS
        : reportSlots != 0) {
      throw refused(reportSlots + " report slots with " + oracleTicks + " oracle-tick slots");
    }
    if (liquidations > 0
        ? liquidationFeePpm < 0 || liquidationFeePpm > MAX_FEE_PPM
        : liquidationFeePpm != 0) {
      throw refused(
          "liquidation fee rate "
              + liquidationFeePpm
              + " ppm with "
              + liquidations
              + " liquidation slots");
    }
  }

  private long sum(StepGroup... groups) {
    long s = 0;
    for (StepGroup g : groups) {
      s += slots(g);
    }
    return s;
  }

  private BatchWitnessException refused(String why) {
    return new BatchWitnessException(BatchWitnessError.SHAPE, -1, why + " (" + this + ")");
  }
}
