package io.zkperp.prover.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe file writes: the content goes to a temporary file in the same directory ({@code
 * .<name>.<random>.tmp}), which is fsynced, renamed over the target, and the directory fsynced. A
 * reader sees either the old file, or no file, or the complete new one; after a power loss the
 * rename is durable. Stateless; thread-safe.
 */
final class AtomicFiles {

  static final String TMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Writes {@code data} to {@code target} atomically and durably, replacing any existing file.
   *
   * @param target the file
   * @param data its new content
   * @throws IOException on any I/O failure (the target is then unchanged)
   */
  static void write(Path target, byte[] data) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + TMP_SUFFIX);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsyncDirectory(dir);
  }

  /**
   * Moves a file atomically within one file system and fsyncs both directories.
   *
   * @param from the file
   * @param to its new path (replaced if it exists)
   * @throws IOException on failure
   */
  static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(to.toAbsolutePath().getParent());
    fsyncDirectory(from.toAbsolutePath().getParent());
  }

  /**
   * Makes a directory's entries (creations, renames, deletions) durable.
   *
   * @param dir the directory
   * @throws IOException if the directory cannot be opened or synced
   */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Deletes temporary files older than {@code age} that a crashed writer left in {@code dir}.
   *
   * @param dir the directory
   * @param age minimum age of a leftover (younger ones may belong to a running writer)
   * @return the number of files deleted
   * @throws IOException if the directory cannot be listed
   */
  static int deleteStaleTemporaries(Path dir, Duration age) throws IOException {
    Instant cutoff = Instant.now().minus(age);
    int deleted = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.endsWith(TMP_SUFFIX)) {
          try {
            if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)
                && Files.deleteIfExists(p)) {
              deleted++;
            }
          } catch (IOException e) {
            // raced with its writer or another cleaner: leave it
          }
        }
      }
    }
    return deleted;
  }
}
