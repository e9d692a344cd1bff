package io.zkperp.sequencer.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.CoreState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while snapshots are being written, {@code sequencer.snapshotKill.rounds} times (default
 * 20): {@link SnapshotKillChildMain} keeps its snapshot writer busy with a core state of megabytes;
 * each round kills it, after a random delay, as soon as a snapshot's temporary file exists (the
 * writer is between creating and renaming it), then checks that every acknowledged record is
 * journaled, that recovery (newest valid snapshot + the segments after it) gives the state of a
 * full replay of the whole journal (live and archived segments), and restarts the child on the same
 * directory. Odd rounds run the child with a {@link SnapshotReplica} (snapshots taken by the
 * replica thread from its copy of the core), even rounds without (the loop serialises the core).
 */
class SnapshotKillIT {
  static final int ROUNDS = Integer.getInteger("sequencer.snapshotKill.rounds", 20);

  @TempDir Path dir;

  @Test
  void sigkillWhileWritingSnapshotsAlwaysRecoversFromAValidSnapshotAndTail() throws Exception {
    Path data = dir.resolve("data");
    Path archive = dir.resolve("archive");
    Map<Long, String> acked = new java.util.concurrent.ConcurrentHashMap<>();
    SplittableRandom random = new SplittableRandom(2026);
    int midWrite = 0;
    int fromSnapshot = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Process child = spawn(data, archive, 500 + round, round % 2 == 1);
      java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.startsWith("READY")) {
                      ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                      String[] parts = line.split(" ");
                      acked.put(Long.parseLong(parts[1]), parts[2]);
                    }
                  }
                } catch (java.io.IOException e) {
                  // the child is gone
                }
              },
              "child-output");
      reader.start();
      assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200 + random.nextInt(800));
      // then kill as soon as a snapshot file is being written (or after 5 s)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!writing(data) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      child.destroyForcibly(); // SIGKILL
      reader.join(30_000);
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      if (writing(data)) {
        midWrite++;
      }
      Recovery.Recovered recovered = RecoveryTest.recover(data);
      if (recovered.snapshotSeq() > 0) {
        fromSnapshot++;
      }
      Path full = fullJournal(data, archive);
      Map<Long, String> journaled = new HashMap<>();
      JournalReader.readJournal(
          full, 0, (seq, c) -> journaled.put(seq, KillChildMain.crc(CommandCodec.encode(c))));
      for (Map.Entry<Long, String> e : acked.entrySet()) {
        assertThat(journaled.get(e.getKey()))
            .as("acked record %d", e.getKey())
            .isEqualTo(e.getValue());
      }
      Recovery.Recovered replayed = RecoveryTest.recover(full);
      assertThat(replayed.snapshotSeq()).isZero();
      assertThat(recovered.lastSeq()).isEqualTo(replayed.lastSeq());
      assertThat(CoreState.hashHex(recovered.core())).isEqualTo(CoreState.hashHex(replayed.core()));
    }
    System.out.printf(
        "snapshot kill rounds: %d; killed with a snapshot being written (a .tmp file left): %d;"
            + " recovered from a snapshot: %d; acknowledged commits: %d%n",
        ROUNDS, midWrite, fromSnapshot, acked.size());
    assertThat(fromSnapshot).isGreaterThanOrEqualTo(ROUNDS - 1);
    assertThat(midWrite).as("kills that hit a snapshot write").isGreaterThanOrEqualTo(ROUNDS / 2);
  }

  /** Whether a snapshot's temporary file exists (the writer is between create and rename). */
  private static boolean writing(Path data) {
    try (Stream<Path> s = Files.list(data.resolve(Recovery.SNAPSHOT_DIR))) {
      return s.anyMatch(p -> p.toString().endsWith(".tmp"));
    } catch (java.io.IOException e) {
      return false; // not created yet
    }
  }

  /** A copy of the data directory without snapshots, with the archived segments put back. */
  private Path fullJournal(Path data, Path archive) throws Exception {
    Path full = dir.resolve("full");
    if (Files.exists(full)) {
      try (Stream<Path> s = Files.walk(full)) {
        for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(p);
        }
      }
    }
    Path segments = Files.createDirectories(full.resolve(JournalSegments.DIR));
    for (JournalSegments.Segment s : JournalSegments.list(data)) {
      Files.copy(s.file(), segments.resolve(s.file().getFileName()));
    }
    if (Files.isDirectory(archive)) {
      try (Stream<Path> s = Files.list(archive)) {
        for (Path p : s.toList()) {
          Path target = segments.resolve(p.getFileName());
          if (!Files.exists(target)) {
            Files.copy(p, target);
          }
        }
      }
    }
    return full;
  }

  private static Process spawn(Path data, Path archive, long seed, boolean replica)
      throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SnapshotKillChildMain.class.getName(),
            data.toString(),
            archive.toString(),
            Long.toString(seed),
            replica ? "replica" : "direct")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
