package io.zkperp.gateway.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One owner per data directory: an exclusive OS file lock ({@link FileChannel#tryLock()}) on
 * {@value #LOCK_FILE} in the directory, taken before anything else in it is read or written and
 * held until {@link #close}. The OS releases it when the process dies (even on SIGKILL), so a stale
 * lock file never blocks a restart. The lock file holds nothing; its existence means nothing.
 * {@link #acquire} and {@link #close} from the controlling thread.
 */
public final class DataDirectoryLock implements AutoCloseable {
  /** The lock file's name inside the data directory. */
  public static final String LOCK_FILE = "node.lock";

  // Lock files held by this JVM. On Linux, closing any descriptor of a file drops every lock the
  // process holds on it, so a second node of this JVM must fail before it opens the file at all.
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileLock lock; // on its own channel, closed with it

  private DataDirectoryLock(Path file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  /**
   * Takes the lock, creating the directory and the lock file if absent; fails at once if another
   * process or another node of this process holds it.
   *
   * @param dataDir the data directory
   * @return the held lock
   * @throws DataDirectoryLockedException if the directory is owned by another node
   * @throws IOException if the directory or the lock file cannot be created or opened
   */
  public static DataDirectoryLock acquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.toRealPath().resolve(LOCK_FILE);
    if (!HELD.add(file)) {
      throw new DataDirectoryLockedException(dataDir);
    }
    FileLock l = null;
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } finally {
      if (l == null) {
        HELD.remove(file);
        if (ch != null) {
          ch.close();
        }
      }
    }
    if (l == null) {
      throw new DataDirectoryLockedException(dataDir);
    }
    return new DataDirectoryLock(file, l);
  }

  /**
   * Releases the lock.
   *
   * @throws IOException if closing the lock file fails
   */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        lock.channel().close();
      } finally {
        HELD.remove(file);
      }
    }
  }
}
