package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link KillChildMain} in a child JVM (same java binary and class path), SIGKILLs it while it
 * is acknowledging commands, restarts from the same directory and checks that every acknowledged
 * command is in the journal at its acknowledged sequence number; then does it again on top of the
 * recovered state.
 */
class KillRecoveryIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommandSurvivesSigkill() throws Exception {
    Map<Long, String> acked = new HashMap<>();
    for (int round = 0; round < 2; round++) {
      long before = acked.size();
      Process child = spawn(dir, 100 + round, 50_000);
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        int seen = 0;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            String[] parts = line.split(" ");
            acked.put(Long.parseLong(parts[1]), parts[2]);
            if (++seen == 1_500) {
              child.destroyForcibly(); // SIGKILL on Linux
              break;
            }
          }
          assertThat(line).isNotEqualTo("DONE");
        }
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      assertThat(acked.size()).isGreaterThan((int) before);

      // restart: every acknowledged command is present at its sequence number
      Map<Long, String> journaled = new HashMap<>();
      JournalReader.Result r =
          JournalReader.read(
              dir.resolve(Recovery.JOURNAL_FILE),
              (seq, c) -> journaled.put(seq, KillChildMain.crc(CommandCodec.encode(c))));
      for (Map.Entry<Long, String> e : acked.entrySet()) {
        assertThat(journaled.get(e.getKey()))
            .as("acked record %d", e.getKey())
            .isEqualTo(e.getValue());
      }
      Recovery.Recovered rec =
          Recovery.recover(
              dir,
              OrderBookFactory.OPTIMISED,
              SelfTradePrevention.EXPIRE_MAKER,
              RiskHook.PERMISSIVE,
              CoreListener.NONE);
      assertThat(rec.lastSeq()).isEqualTo(r.lastSeq());
      // snapshot + journal equals journal alone
      SequencerCore fromJournal =
          new SequencerCore(
              OrderBookFactory.NAIVE,
              SelfTradePrevention.EXPIRE_MAKER,
              RiskHook.PERMISSIVE,
              CoreListener.NONE);
      JournalReader.read(dir.resolve(Recovery.JOURNAL_FILE), (seq, c) -> fromJournal.apply(c));
      assertThat(CoreState.hashHex(rec.core())).isEqualTo(CoreState.hashHex(fromJournal));
    }
  }

  private static Process spawn(Path dir, long seed, int count) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            KillChildMain.class.getName(),
            dir.toString(),
            Long.toString(seed),
            Integer.toString(count));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }
}
