package io.zkperp.sequencer.command;

/**
 * Cancels every live order (resting or conditional) of an account, in one market or in all.
 * Immutable; any thread.
 *
 * @param account the owner
 * @param market the market, or {@link #ALL_MARKETS}
 */
public record CancelAll(int account, int market) implements Command {
  /** The market value meaning "every market". */
  public static final int ALL_MARKETS = -1;
}
