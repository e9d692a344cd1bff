package io.zkperp.sequencer.pipeline;

import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.List;

/**
 * One ring-buffer entry. Written by the producer, then by one intake thread, then the core thread,
 * then the journal thread; the Disruptor's sequence barriers order these writes.
 */
final class CommandSlot {
  long requestId;
  byte[] bytes;
  Command command;
  RejectReason reject;
  String rejectMessage;
  boolean accepted;
  List<SequencerEvent> events;
  long snapshotSeq;
  byte[] snapshotState;
  long snapshotNanos;

  void clear() {
    bytes = null;
    command = null;
    reject = null;
    rejectMessage = null;
    accepted = false;
    events = null;
    snapshotSeq = 0;
    snapshotState = null;
    snapshotNanos = 0;
  }
}
