package io.zkperp.sequencer.risk;

import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.SequencerEvent;

/**
 * Where the risk engine's parts send their state-change records: the core's actions, attached once
 * by the core ({@link io.zkperp.sequencer.core.RiskHook#attach}); records are dropped before that
 * (an engine used without a core). Core thread.
 */
final class RecordSink {
  private LiquidationActions core;

  /** Attaches the core's actions (called once, when the core is built). */
  void attach(LiquidationActions actions) {
    core = actions;
  }

  /** The core's actions, or null before {@link #attach}. */
  LiquidationActions core() {
    return core;
  }

  /** Emits a record to the core's listener, if attached. */
  void emit(SequencerEvent event) {
    if (core != null) {
      core.emit(event);
    }
  }
}
