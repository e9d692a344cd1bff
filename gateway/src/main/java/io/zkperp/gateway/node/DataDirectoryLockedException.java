package io.zkperp.gateway.node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process (or another node in this one) owns the data directory: it holds the lock on its
 * {@value DataDirectoryLock#LOCK_FILE}. Nothing in the directory was read or written. Any thread.
 */
public final class DataDirectoryLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The data directory. */
  private final transient Path dataDir;

  /**
   * The error.
   *
   * @param dataDir the data directory that is in use
   */
  public DataDirectoryLockedException(Path dataDir) {
    super(
        "the data directory "
            + dataDir.toAbsolutePath().normalize()
            + " is in use by another running node; stop that node or choose another directory"
            + " (--data-dir)");
    this.dataDir = dataDir;
  }

  /**
   * The data directory that is in use.
   *
   * @return the directory
   */
  public Path dataDir() {
    return dataDir;
  }
}
