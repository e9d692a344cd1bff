package io.zkperp.l1;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the {@link PriorityOpWatcher} stands: the next L1 block to scan and the hashes of the most
 * recent blocks it scanned (newest last), so that a reorganisation of a scanned block is noticed on
 * the next poll. Immutable; any thread. Stored durably by {@link #save} / {@link #load}.
 *
 * <p>File format (big-endian): {@code "ZKWC" u16 version=1 | u64 nextBlock | u16 n | n × (u64
 * block, 32 hash) | sha256 of everything before}. Written to a temporary file, fsynced, renamed
 * over the old one and the directory fsynced, so a crash leaves either the old or the new cursor.
 *
 * @param nextBlock the first block not scanned yet
 * @param recent scanned blocks and their hashes, ascending by block, at most {@link #MAX_RECENT}
 */
public record WatcherCursor(long nextBlock, List<BlockRef> recent) {
  /** The number of scanned block hashes remembered (the deepest reorganisation handled). */
  public static final int MAX_RECENT = 256;

  private static final byte[] MAGIC = {'Z', 'K', 'W', 'C'};
  private static final int VERSION = 1;

  /**
   * A scanned block.
   *
   * @param number the block number
   * @param hash its hash (32 bytes)
   */
  public record BlockRef(long number, byte[] hash) {
    /** Checks the hash length and copies it. */
    public BlockRef {
      if (hash.length != 32) {
        throw new IllegalArgumentException("a block hash has 32 bytes, got " + hash.length);
      }
      hash = hash.clone();
    }

    /**
     * The hash.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] hash() {
      return hash.clone();
    }

    /**
     * Whether {@code other} is this block's hash.
     *
     * @param other a hash
     * @return true if equal
     */
    public boolean hashEquals(byte[] other) {
      return Arrays.equals(hash, other);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BlockRef b && b.number == number && Arrays.equals(b.hash, hash);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(number) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
      return "#" + number;
    }
  }

  /** Checks the order and keeps only the newest {@link #MAX_RECENT}. */
  public WatcherCursor {
    Objects.requireNonNull(recent, "recent");
    if (nextBlock < 0) {
      throw new IllegalArgumentException("nextBlock must be ≥ 0, got " + nextBlock);
    }
    for (int i = 1; i < recent.size(); i++) {
      if (recent.get(i).number() <= recent.get(i - 1).number()) {
        throw new IllegalArgumentException("recent blocks must ascend: " + recent);
      }
    }
    if (!recent.isEmpty() && recent.get(recent.size() - 1).number() >= nextBlock) {
      throw new IllegalArgumentException(
          "a remembered block " + recent.get(recent.size() - 1) + " is ≥ nextBlock " + nextBlock);
    }
    recent = List.copyOf(recent.subList(Math.max(0, recent.size() - MAX_RECENT), recent.size()));
  }

  /**
   * A cursor that starts scanning at {@code block}.
   *
   * @param block the first block to scan (e.g. the rollup's deployment block)
   * @return the cursor
   */
  public static WatcherCursor startingAt(long block) {
    return new WatcherCursor(block, List.of());
  }

  /**
   * This cursor after scanning up to and including {@code block} with hash {@code hash}.
   *
   * @param block the last scanned block (≥ {@link #nextBlock})
   * @param hash its hash
   * @return the advanced cursor
   */
  public WatcherCursor advancedTo(long block, byte[] hash) {
    List<BlockRef> r = new ArrayList<>(recent);
    r.add(new BlockRef(block, hash));
    return new WatcherCursor(block + 1, r);
  }

  /**
   * This cursor rolled back so that the next scan starts after {@code keep} (the newest remembered
   * block that is still on the chain), or at {@code fallback} if none is.
   *
   * @param keep how many of the remembered blocks are still valid (oldest first)
   * @param fallback the block to rescan from if none is
   * @return the rolled-back cursor
   */
  public WatcherCursor rolledBack(int keep, long fallback) {
    if (keep == 0) {
      return new WatcherCursor(Math.min(fallback, nextBlock), List.of());
    }
    List<BlockRef> r = recent.subList(0, keep);
    return new WatcherCursor(r.get(keep - 1).number() + 1, r);
  }

  /**
   * Writes the cursor to {@code file} atomically and durably.
   *
   * @param file the cursor file
   * @throws IOException if writing fails
   */
  public void save(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeShort(VERSION);
    out.writeLong(nextBlock);
    out.writeShort(recent.size());
    for (BlockRef b : recent) {
      out.writeLong(b.number());
      out.write(b.hash);
    }
    out.write(sha256(bytes.toByteArray()));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Reads a cursor written by {@link #save}.
   *
   * @param file the cursor file
   * @param initial the cursor to use if the file does not exist
   * @return the stored cursor, or {@code initial}
   * @throws IOException if the file cannot be read or is damaged (wrong magic, version, length or
   *     checksum)
   */
  public static WatcherCursor load(Path file, WatcherCursor initial) throws IOException {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return initial;
    }
    ByteBuffer in = ByteBuffer.wrap(all);
    if (all.length < 4 + 2 + 8 + 2 + 32
        || !Arrays.equals(Arrays.copyOf(all, 4), MAGIC)
        || (in.position(4).getShort() & 0xFFFF) != VERSION) {
      throw new IOException(file + " is not an L1 watcher cursor of version " + VERSION);
    }
    long next = in.getLong();
    int n = in.getShort() & 0xFFFF;
    if (all.length != 16 + n * 40 + 32) {
      throw new IOException(file + ": length " + all.length + " does not match " + n + " blocks");
    }
    byte[] body = Arrays.copyOf(all, all.length - 32);
    if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
      throw new IOException(file + ": checksum mismatch");
    }
    List<BlockRef> recent = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long number = in.getLong();
      byte[] hash = new byte[32];
      in.get(hash);
      recent.add(new BlockRef(number, hash));
    }
    try {
      return new WatcherCursor(next, recent);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
