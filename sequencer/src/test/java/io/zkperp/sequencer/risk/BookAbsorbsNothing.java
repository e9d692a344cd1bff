package io.zkperp.sequencer.risk;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.function.Consumer;

/**
 * The core's side of a position move outside the book (takeover, deleveraging, forced trade), with
 * a book that absorbs nothing: no orders to cancel, liquidation orders fill nothing, step size 1;
 * the engine's records go to {@code records}. Test thread.
 *
 * @param records receives the engine's records
 */
record BookAbsorbsNothing(Consumer<SequencerEvent> records) implements LiquidationActions {
  @Override
  public void cancelOrders(int account) {}

  @Override
  public long liquidationOrder(
      int account, int market, Side side, long size, long limit, long bankruptcy) {
    return 0;
  }

  @Override
  public void movePosition(int account, int counterparty, int market, long delta) {}

  @Override
  public long stepSize(int market) {
    return 1;
  }

  @Override
  public void emit(SequencerEvent event) {
    records.accept(event);
  }
}
