package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Core snapshots in a directory: {@code snapshot-<journal seq, 20 digits>.bin} holding the magic
 * "ZKPSNAP1", the journal sequence number the snapshot includes, the {@link CoreState}
 * serialisation and a CRC32C trailer. Written to a temporary file, fsynced and renamed atomically.
 * Call from the core thread (or while the core is quiescent).
 */
public final class SnapshotStore {
  private static final long MAGIC = 0x5A4B50534E415031L; // "ZKPSNAP1"
  private final Path dir;

  /**
   * A store in a directory (created if needed).
   *
   * @param dir the directory
   * @throws IOException if it cannot be created
   */
  public SnapshotStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /**
   * A loaded snapshot.
   *
   * @param journalSeq the last journal record the snapshot includes
   * @param core the restored core
   */
  public record Loaded(long journalSeq, SequencerCore core) {}

  /**
   * Writes a snapshot of the core as of journal record {@code journalSeq}.
   *
   * @param journalSeq the last journal record applied to the core
   * @param core the core (must not change during the call)
   * @return the snapshot file
   * @throws IOException if writing fails
   */
  public Path write(long journalSeq, SequencerCore core) throws IOException {
    return writeSerialized(journalSeq, serialize(core));
  }

  /**
   * Serialises a core's state (the slow part of a snapshot, done on the core thread).
   *
   * @param core the core
   * @return the {@link CoreState} bytes
   */
  public static byte[] serialize(SequencerCore core) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 20);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      CoreState.write(core, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes a snapshot from already serialised state (any thread: the journal thread does this so
   * the core thread only pays for {@link #serialize}).
   *
   * @param journalSeq the last journal record the state includes; must already be durable
   * @param coreState the {@link CoreState} bytes
   * @return the snapshot file
   * @throws IOException if writing fails
   */
  public Path writeSerialized(long journalSeq, byte[] coreState) throws IOException {
    Path target = dir.resolve(String.format("snapshot-%020d.bin", journalSeq));
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    CRC32C crc = new CRC32C();
    try (OutputStream file = Files.newOutputStream(tmp);
        DataOutputStream out =
            new DataOutputStream(
                new CheckedOutputStream(new BufferedOutputStream(file, 1 << 16), crc))) {
      out.writeLong(MAGIC);
      out.writeLong(journalSeq);
      out.write(coreState);
      out.flush();
      new DataOutputStream(file).writeInt((int) crc.getValue());
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // directories cannot be opened for fsync on every platform; the rename is still atomic
    }
    return target;
  }

  /**
   * Loads the newest intact snapshot (a damaged newest one is skipped for the one before).
   *
   * @param books the books of the restored core
   * @param risk its risk hook
   * @param listener its listener
   * @return the snapshot, or empty if there is none
   * @throws IOException if listing fails
   */
  public Optional<Loaded> loadLatest(OrderBookFactory books, RiskHook risk, CoreListener listener)
      throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches("snapshot-\\d{20}\\.bin"))
          .sorted()
          .forEach(files::add);
    }
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(load(files.get(i), books, risk, listener));
      } catch (IOException | RuntimeException e) {
        // damaged snapshot: fall back to an older one (the journal still holds its commands)
      }
    }
    return Optional.empty();
  }

  private static Loaded load(Path file, OrderBookFactory books, RiskHook risk, CoreListener l)
      throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readLong() != MAGIC) {
        throw new IOException(file + " is not a snapshot");
      }
      long seq = in.readLong();
      SequencerCore core = CoreState.read(in, books, risk, l);
      int expected = (int) crc.getValue();
      int stored = new DataInputStream(raw).readInt();
      if (stored != expected || raw.read() != -1) {
        throw new IOException(file + " fails its checksum");
      }
      return new Loaded(seq, core);
    }
  }
}
