package io.zkperp.gateway.bridge;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.pipeline.PublicKeyDirectory;
import io.zkperp.sequencer.pipeline.Sequencer;
import io.zkperp.sequencer.pipeline.SequencerOutput;

/**
 * A small real sequencer (default core, no snapshots, no keys, 1 intake thread) for bridge tests.
 */
final class TestSequencers {
  private TestSequencers() {}

  static Sequencer start(JournalWriter journal, SequencerOutput output) {
    return Sequencer.builder(
            SequencerCore.withDefaults(CoreListener.NONE),
            journal,
            PublicKeyDirectory.inMemory(),
            MessageDomain.DEMO,
            output)
        .intakeThreads(1)
        .ringSize(64)
        .start();
  }
}
