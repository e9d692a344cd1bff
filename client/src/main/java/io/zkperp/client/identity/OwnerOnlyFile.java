package io.zkperp.client.identity;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file that holds a secret (a key file, a wallet key, the devnet's signer seeds):
 * owner-only permissions (0600) from the moment the file exists, where the file system has POSIX
 * permissions, and atomically (a temporary file in the same directory, then a rename). Any thread,
 * one writer per file.
 */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /**
   * Writes {@code text} to {@code file}, replacing it.
   *
   * @param file the file
   * @param text the content
   * @throws IOException if it cannot be written
   */
  public static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(
                dir,
                ".zkperp-secret",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, ".zkperp-secret", ".tmp");
    try {
      Files.writeString(tmp, text);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
