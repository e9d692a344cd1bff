package io.zkperp.node;

import io.zkperp.node.v3.SettlementV3;
import io.zkperp.node.v3.TranslatorState;
import io.zkperp.node.v3.V3Stores;
import io.zkperp.protocol.state.L1Address;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The format v3 settlement's part of a node start from a snapshot: restores the settlement's
 * translator from the snapshot's {@link TranslatorState} and the snapshot's accounts' owners, and
 * follows the replayed records with a second copy of that state so that the snapshotter's replica
 * starts from the translator state at the recovered record (the settlement's own translator is
 * behind it until its stage thread has worked through the replay).
 *
 * <p>Confined to the controlling thread while the node opens.
 */
final class V3SnapshotSide {
  private final SettlementV3 stage;
  private TranslatorState follower = new TranslatorState(V3Stores.CORE_START_TIME);

  /**
   * The snapshot side of one opened v3 settlement.
   *
   * @param stage the opened v3 settlement, not started
   */
  V3SnapshotSide(SettlementV3 stage) {
    this.stage = stage;
  }

  /**
   * The newest snapshot recovery may start from.
   *
   * @return {@link SettlementV3#snapshotLimit()}
   */
  long snapshotLimit() {
    return stage.snapshotLimit();
  }

  /**
   * Restores the settlement's translator and this follower from a snapshot's read side.
   *
   * @param journalSeq the snapshot's record
   * @param translator the snapshot's translator state, or null when it has none
   * @param owners the owners of the accounts restored from the same snapshot
   * @throws IOException the snapshot has no translator state (written by a node settling format
   *     v2), its state is invalid, or it is past the settlement's resume point
   */
  void restore(long journalSeq, byte[] translator, Map<Integer, L1Address> owners)
      throws IOException {
    if (translator == null) {
      throw new IOException(
          "the snapshot at journal record "
              + journalSeq
              + " holds no format v3 translator state (written by a node settling format v2):"
              + " delete the snapshots directory to replay the whole journal");
    }
    stage.restoreTranslator(journalSeq, TranslatorState.decode(translator), owners);
    follower = TranslatorState.decode(translator);
  }

  /**
   * Follows one replayed record.
   *
   * @param command the command
   * @param events its events
   */
  void follow(Command command, List<SequencerEvent> events) {
    follower.follow(command, events);
  }

  /**
   * The translator state at the last record followed (the snapshot replica's start).
   *
   * @return its encoding
   */
  byte[] state() {
    return follower.encode();
  }
}
