package io.zkperp.sequencer.journal;

import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.RiskHook;
import io.zkperp.sequencer.core.SequencerCore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

/**
 * Snapshots in a directory: {@code snapshot-<journal seq, 20 digits>.bin}. Format 2 ("ZKPSNAP2",
 * big-endian): magic u64, the journal sequence number the snapshot includes u64, the {@link
 * CoreState} serialisation (length u32, bytes), the read side's state (length u32, bytes; length −1
 * = none: a node's read model, opaque here), then a CRC32C of everything before it. Format 1
 * ("ZKPSNAP1": magic, seq, core state, CRC32C; no read side) is still read.
 *
 * <p>Writing: a temporary file, fsynced, renamed atomically, directory fsynced; a crash leaves
 * either the old set of snapshots or the new one, plus perhaps a {@code .tmp} file that loading
 * ignores and the next write replaces. Loading: the newest snapshot whose checksum holds; a damaged
 * or cut-short one is skipped with a WARNING ({@link System.Logger}) and reported in {@link
 * Loaded#skipped}. The checksum is verified before anything is decoded, so a damaged file never
 * touches the core or the risk engine; an intact snapshot that does not decode (written with
 * another configuration) is an error, not skipped.
 *
 * <p>Threads: {@link #serialize} on the core thread (or while the core is quiescent); writing,
 * loading and pruning from one thread at a time.
 */
public final class SnapshotStore {
  private static final System.Logger LOG = System.getLogger(SnapshotStore.class.getName());
  private static final long MAGIC_V1 = 0x5A4B50534E415031L; // "ZKPSNAP1"
  private static final long MAGIC_V2 = 0x5A4B50534E415032L; // "ZKPSNAP2"
  private static final String PATTERN = "snapshot-\\d{20}\\.bin";
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
   * The store's directory.
   *
   * @return the directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * A snapshot file that was not used.
   *
   * @param file the file
   * @param reason why (checksum, cut short, not a snapshot)
   */
  public record Skipped(Path file, String reason) {}

  /**
   * A loaded snapshot.
   *
   * @param journalSeq the last journal record the snapshot includes
   * @param core the restored core
   * @param readSide the read side's state written with it, or null if it has none
   * @param file the file it was loaded from
   * @param skipped newer snapshot files that were damaged and skipped, newest first
   */
  public record Loaded(
      long journalSeq, SequencerCore core, byte[] readSide, Path file, List<Skipped> skipped) {}

  /**
   * Writes a snapshot of the core as of journal record {@code journalSeq}, without a read side.
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
   * Serialises a core's state (the part of a snapshot that must be done on the core thread).
   *
   * @param core the core
   * @return the {@link CoreState} bytes
   */
  public static byte[] serialize(SequencerCore core) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      CoreState.write(core, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes a snapshot from already serialised core state, without a read side.
   *
   * @param journalSeq the last journal record the state includes; must already be durable
   * @param coreState the {@link CoreState} bytes
   * @return the snapshot file
   * @throws IOException if writing fails
   */
  public Path writeSerialized(long journalSeq, byte[] coreState) throws IOException {
    return write(journalSeq, coreState, null);
  }

  /**
   * Writes a snapshot: temporary file, fsync, atomic rename, directory fsync.
   *
   * @param journalSeq the last journal record the states include; must already be durable
   * @param coreState the {@link CoreState} bytes
   * @param readSide the read side's state as of the same record, or null
   * @return the snapshot file
   * @throws IOException if writing fails
   */
  public Path write(long journalSeq, byte[] coreState, byte[] readSide) throws IOException {
    Path target = dir.resolve(String.format("snapshot-%020d.bin", journalSeq));
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    ByteBuffer head = ByteBuffer.allocate(20);
    head.putLong(MAGIC_V2).putLong(journalSeq).putInt(coreState.length).flip();
    ByteBuffer mid = ByteBuffer.allocate(4);
    mid.putInt(readSide == null ? -1 : readSide.length).flip();
    CRC32C crc = new CRC32C();
    crc.update(head.duplicate());
    crc.update(coreState);
    crc.update(mid.duplicate());
    if (readSide != null) {
      crc.update(readSide);
    }
    ByteBuffer tail = ByteBuffer.allocate(4);
    tail.putInt((int) crc.getValue()).flip();
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(ch, head);
      writeFully(ch, ByteBuffer.wrap(coreState));
      writeFully(ch, mid);
      if (readSide != null) {
        writeFully(ch, ByteBuffer.wrap(readSide));
      }
      writeFully(ch, tail);
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    JournalSegments.syncDirectory(dir);
    return target;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * The snapshot files, oldest first (by journal sequence).
   *
   * @return the files
   * @throws IOException if listing fails
   */
  public List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().matches(PATTERN)).sorted().forEach(files::add);
    }
    return files;
  }

  /**
   * The journal sequence number a snapshot file is named for.
   *
   * @param file a file of {@link #files}
   * @return its sequence number
   */
  public static long journalSeqOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring("snapshot-".length(), name.length() - ".bin".length()));
  }

  /**
   * Deletes all but the newest {@code keep} snapshot files, and temporary files a crash left. Call
   * from the thread that writes (never while a write is under way).
   *
   * @param keep how many to keep (≥ 1)
   * @return the files kept, oldest first
   * @throws IOException if listing or deleting fails
   */
  public List<Path> prune(int keep) throws IOException {
    return prune(keep, Long.MAX_VALUE);
  }

  /**
   * Deletes all but the newest {@code keep} snapshot files and the newest one at or before journal
   * record {@code protectAtOrBefore} (the one a settling node recovers from), and temporary files a
   * crash left. Call from the thread that writes (never while a write is under way).
   *
   * @param keep how many of the newest to keep (≥ 1)
   * @param protectAtOrBefore the newest snapshot at or before this record is kept as well
   * @return the files kept, oldest first
   * @throws IOException if listing or deleting fails
   */
  public List<Path> prune(int keep, long protectAtOrBefore) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one snapshot, got " + keep);
    }
    List<Path> files = files();
    Path protectedFile = null;
    for (Path f : files) {
      if (journalSeqOf(f) <= protectAtOrBefore) {
        protectedFile = f;
      }
    }
    boolean deleted = false;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path stale : s.filter(p -> p.getFileName().toString().endsWith(".bin.tmp")).toList()) {
        Files.deleteIfExists(stale); // left by a crash during a write
        deleted = true;
      }
    }
    List<Path> kept =
        new ArrayList<>(files.subList(Math.max(0, files.size() - keep), files.size()));
    if (protectedFile != null && !kept.contains(protectedFile)) {
      kept.add(0, protectedFile);
    }
    for (Path f : files) {
      if (!kept.contains(f)) {
        Files.deleteIfExists(f);
        deleted = true;
      }
    }
    files = kept;
    if (deleted) {
      JournalSegments.syncDirectory(dir);
    }
    return files;
  }

  /**
   * Loads the newest intact snapshot; damaged newer ones are skipped with a warning.
   *
   * @param books the books of the restored core
   * @param risk its risk hook (fresh; only the snapshot that is used is decoded into it)
   * @param listener its listener
   * @return the snapshot, or empty if there is no intact one
   * @throws IOException if listing or reading fails, or an intact snapshot does not decode
   */
  public Optional<Loaded> loadLatest(OrderBookFactory books, RiskHook risk, CoreListener listener)
      throws IOException {
    return loadLatestAtOrBefore(Long.MAX_VALUE, books, risk, listener);
  }

  /**
   * Loads the newest intact snapshot at or before journal record {@code maxSeq} (newer snapshots
   * are not considered; damaged ones at or before it are skipped with a warning). A settling node
   * starts from one that is not past its last sealed batch, so that the settlement sees every
   * record after that batch replayed.
   *
   * @param maxSeq the newest journal record the snapshot may be at
   * @param books the books of the restored core
   * @param risk its risk hook (fresh; only the snapshot that is used is decoded into it)
   * @param listener its listener
   * @return the snapshot, or empty if there is no intact one at or before {@code maxSeq}
   * @throws IOException if listing or reading fails, or an intact snapshot does not decode
   */
  public Optional<Loaded> loadLatestAtOrBefore(
      long maxSeq, OrderBookFactory books, RiskHook risk, CoreListener listener)
      throws IOException {
    List<Path> files = files();
    List<Skipped> skipped = new ArrayList<>();
    for (int i = files.size() - 1; i >= 0; i--) {
      Path file = files.get(i);
      if (journalSeqOf(file) > maxSeq) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(file);
      String damage = damage(bytes);
      if (damage != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "snapshot {0} skipped ({1}); trying the one before it",
            file,
            damage);
        skipped.add(new Skipped(file, damage));
        continue;
      }
      return Optional.of(decode(file, bytes, books, risk, listener, List.copyOf(skipped)));
    }
    return Optional.empty();
  }

  /** Why a snapshot's bytes cannot be used, or null if its framing and checksum hold. */
  private static String damage(byte[] b) {
    if (b.length < 8 + 8 + 4) {
      return "cut short: " + b.length + " bytes";
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    long magic = buf.getLong(0);
    if (magic != MAGIC_V1 && magic != MAGIC_V2) {
      return "not a snapshot (bad magic)";
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    if ((int) crc.getValue() != buf.getInt(b.length - 4)) {
      return "checksum mismatch (damaged or cut short)";
    }
    if (magic == MAGIC_V2) {
      if (b.length < 8 + 8 + 4 + 4 + 4) {
        return "cut short";
      }
      long coreLen = buf.getInt(16) & 0xFFFFFFFFL;
      long midAt = 20 + coreLen;
      if (midAt + 4 + 4 > b.length) {
        return "core state length " + coreLen + " out of range";
      }
      int readLen = buf.getInt((int) midAt);
      long end = midAt + 4 + Math.max(0, readLen) + 4;
      if (readLen < -1 || end != b.length) {
        return "read side length " + readLen + " out of range";
      }
    }
    return null;
  }

  private static Loaded decode(
      Path file,
      byte[] b,
      OrderBookFactory books,
      RiskHook risk,
      CoreListener listener,
      List<Skipped> skipped)
      throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    long magic = buf.getLong(0);
    long seq = buf.getLong(8);
    int coreAt;
    int coreLen;
    byte[] readSide = null;
    if (magic == MAGIC_V1) {
      coreAt = 16;
      coreLen = b.length - 4 - 16;
    } else {
      coreAt = 20;
      coreLen = buf.getInt(16);
      int readLen = buf.getInt(coreAt + coreLen);
      if (readLen >= 0) {
        readSide = new byte[readLen];
        System.arraycopy(b, coreAt + coreLen + 4, readSide, 0, readLen);
      }
    }
    ByteArrayInputStream in = new ByteArrayInputStream(b, coreAt, coreLen);
    SequencerCore core;
    try {
      core = CoreState.read(new DataInputStream(in), books, risk, listener);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "snapshot "
              + file
              + " is intact but does not load into this core (another configuration?): "
              + e.getMessage(),
          e);
    }
    if (in.available() != 0) {
      throw new IOException(
          "snapshot "
              + file
              + " is intact but "
              + in.available()
              + " bytes of its core state were not read (another risk hook?)");
    }
    return new Loaded(seq, core, readSide, file, skipped);
  }
}
