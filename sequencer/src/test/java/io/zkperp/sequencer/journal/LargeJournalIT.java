package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.command.SignedOraclePrices;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal larger than 2 GiB in 4 MiB segments, written with group commits, read back whole and
 * reopened: every committed record is there in order, and whole-journal sizes are {@code long}s.
 * Runs in CI with 2,200 MiB (it writes and reads that much on disk); {@code
 * -Dsequencer.largeJournal.mib=N} sets another size, 0 skips it. Records are quorum-price batches
 * of 32 reports (2,646 bytes each), written without a core: this checks the journal, not replay.
 */
class LargeJournalIT {
  static final long MIB = Long.getLong("sequencer.largeJournal.mib", 2_200);

  @TempDir Path dir;

  static Command record(long seq) {
    List<PriceReport> reports = new ArrayList<>(32);
    byte[] signature = new byte[64];
    Arrays.fill(signature, (byte) seq);
    for (int k = 0; k < 32; k++) {
      reports.add(new PriceReport((int) (seq & 0xFFFF), seq + k, seq, k, signature));
    }
    return new SignedOraclePrices((int) (seq & 0xFFFF), reports);
  }

  @Test
  void aJournalOverTwoGibibytesReadsBackAndReopens() throws Exception {
    Assumptions.assumeTrue(MIB > 0, "skipped: -Dsequencer.largeJournal.mib=0");
    long target = MIB << 20;
    long perRecord = JournalFormat.RECORD_HEADER_BYTES + CommandCodec.encode(record(1)).length;
    long records = target / perRecord + 1;
    long started = System.nanoTime();
    try (JournalWriter w = JournalWriter.openSegments(dir, 4L << 20)) {
      for (long seq = 1; seq <= records; seq++) {
        assertThat(w.append(record(seq))).isEqualTo(seq);
        if ((seq & 255) == 0) {
          w.commit();
        }
      }
    }
    long wrote = System.nanoTime() - started;
    long[] next = {1};
    started = System.nanoTime();
    JournalReader.Scan scan =
        JournalReader.readJournal(
            dir,
            0,
            (seq, c) -> {
              if (seq != next[0]
                  || !Arrays.equals(CommandCodec.encode(c), CommandCodec.encode(record(seq)))) {
                throw new AssertionError("record " + seq + " differs (expected " + next[0] + ")");
              }
              next[0]++;
            });
    long read = System.nanoTime() - started;
    System.out.printf(
        "large journal: %d records, %d bytes in %d segments; written in %.1f s, read in %.1f s%n",
        scan.lastSeq(), scan.bytesRead(), scan.segments(), wrote / 1e9, read / 1e9);
    assertThat(scan.bytesRead()).isGreaterThan(2L << 30);
    assertThat(scan.lastSeq()).isEqualTo(records);
    assertThat(scan.delivered()).isEqualTo(records);
    assertThat(next[0]).isEqualTo(records + 1);
    try (JournalWriter w = JournalWriter.openSegments(dir, 4L << 20)) {
      assertThat(w.lastSeq()).isEqualTo(records);
      w.append(record(records + 1));
    }
    List<Long> tail = new ArrayList<>();
    JournalReader.Scan end =
        JournalReader.readJournal(dir, records - 10, (seq, c) -> tail.add(seq));
    assertThat(tail).hasSize(11).endsWith(records + 1);
    assertThat(end.segmentsRead()).isLessThanOrEqualTo(2);
  }
}
