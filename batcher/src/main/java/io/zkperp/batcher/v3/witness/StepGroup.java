package io.zkperp.batcher.v3.witness;

/**
 * The slot groups of format v3 in encoding order, each with its step type byte and the length of
 * its public data (docs/batch-format.md, "Format v3": the records): the first seven, whose sizes
 * every header carries, then the four later groups ({@link #isLater}), whose sizes only the header
 * extension of a shape with one of them carries. Any thread.
 */
public enum StepGroup {
  /** Trades ({@code perpstep}), 35 bytes. */
  TRADE(5, 35),
  /** Deposits, 1 byte. */
  DEPOSIT(1, 1),
  /** Withdrawals, 32 bytes. */
  WITHDRAWAL(2, 32),
  /** Transfers, 15 bytes. */
  TRANSFER(3, 15),
  /** Forced withdrawals, 32 bytes. */
  FORCED_WITHDRAWAL(4, 32),
  /** Oracle price ticks, 26 bytes. */
  ORACLE_TICK(8, 26),
  /** Funding ticks, 18 bytes. */
  FUNDING_TICK(9, 18),
  /** Liquidation fills ({@code liqstep}), 35 bytes: a later group. */
  LIQUIDATION(6, 35),
  /** Insurance takeovers, 16 bytes: a later group. */
  TAKEOVER(7, 16),
  /** Deleveragings, 19 bytes: a later group. */
  DELEVERAGING(0x0B, 19),
  /** Funding period starts ({@code tickstep}), 10 bytes: a later group. */
  FUNDING_PERIOD_START(0x0A, 10),
  /**
   * Forced trades ({@code forcedtrade}), 26 bytes: a later group whose size follows the header
   * extension, only in a shape with forced-trade slots ({@link #inExtension} is false).
   */
  FORCED_TRADE(0x0C, 26);

  /** The number of the first groups, whose sizes every header carries. */
  public static final int FIRST_GROUPS = 7;

  private final int type;
  private final int recordBytes;

  StepGroup(int type, int recordBytes) {
    this.type = type;
    this.recordBytes = recordBytes;
  }

  /**
   * The type byte of the group's steps (their public data's first byte).
   *
   * @return the type byte
   */
  public int type() {
    return type;
  }

  /**
   * The length of the group's public data.
   *
   * @return bytes
   */
  public int recordBytes() {
    return recordBytes;
  }

  /**
   * Whether the group is one of the four later groups (liquidations, takeovers, deleveragings,
   * funding period starts), whose size only the header extension carries.
   *
   * @return true for a later group
   */
  public boolean isLater() {
    return ordinal() >= FIRST_GROUPS;
  }

  /**
   * Whether the group's size is one of the four of the header extension (the later groups but the
   * forced trades, whose size follows the extension on its own).
   *
   * @return true for liquidations, takeovers, deleveragings and funding period starts
   */
  public boolean inExtension() {
    return isLater() && this != FORCED_TRADE;
  }

  /**
   * The group of a step type.
   *
   * @param type a type byte
   * @return the group, or null for a type format v3 has no group for
   */
  public static StepGroup ofType(int type) {
    for (StepGroup g : values()) {
      if (g.type == type) {
        return g;
      }
    }
    return null;
  }
}
