package io.zkperp.sequencer.journal;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.TestKeys;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.pipeline.Sequencer;
import io.zkperp.sequencer.pipeline.SequencerOutput;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The process {@link KillRecoveryIT} kills: recovers a data directory, runs the full pipeline
 * (signature checks included) on signed random commands and prints {@code ACK <journalSeq> <crc32c
 * of the command>} for each command once the journal has made it durable.
 */
public final class KillChildMain {
  private KillChildMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int count = Integer.parseInt(args[2]);
    PrintStream stdout = unbufferedStdout();
    Recovery.Recovered rec = RecoveryTest.recover(dataDir);
    JournalWriter journal = JournalWriter.open(dataDir.resolve(Recovery.JOURNAL_FILE));
    TestKeys keys = new TestKeys(20);
    byte[][] encoded = new byte[count][];
    RandomCommands gen = new RandomCommands(seed, 20);
    stdout.println("READY " + rec.lastSeq());
    stdout.flush();
    SequencerOutput out =
        new SequencerOutput() {
          @Override
          public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
            stdout.println("ACK " + journalSeq + " " + crc(encoded[(int) requestId]));
            stdout.flush();
          }

          @Override
          public void onRejected(long requestId, RejectReason reason, String message) {}
        };
    Sequencer sequencer =
        Sequencer.builder(rec.core(), journal, keys.directory(), MessageDomain.DEMO, out)
            .snapshots(new SnapshotStore(dataDir.resolve(Recovery.SNAPSHOT_DIR)), 500)
            .start();
    for (int i = 0; i < count; i++) {
      Command c = keys.sign(gen.next());
      encoded[i] = CommandCodec.encode(c);
      sequencer.submit(i, encoded[i]);
    }
    sequencer.close();
    journal.close();
    stdout.println("DONE");
    stdout.flush();
  }

  /**
   * A print stream straight on file descriptor 1 (not {@code System.out}), as both child processes
   * print their {@code READY} / {@code ACK} lines to the parent.
   *
   * @return the stream
   */
  static PrintStream unbufferedStdout() {
    return new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
  }

  static String crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes);
    return HexFormat.of().toHexDigits((int) c.getValue());
  }
}
