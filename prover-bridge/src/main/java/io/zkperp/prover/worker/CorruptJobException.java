package io.zkperp.prover.worker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A job or result file is truncated, corrupt (checksum mismatch), of an unknown format, or does not
 * match its file name. The worker moves such a job file to {@code rejected/} with a {@code .reason}
 * file beside it and goes on with the other jobs.
 */
public final class CorruptJobException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The file; transient because {@link Path} is not serializable. */
  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the offending file
   * @param reason what is wrong with it
   */
  public CorruptJobException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file;
  }

  /**
   * Returns the offending file.
   *
   * @return the path of the file as it was read (it may have been moved since)
   */
  public Path file() {
    return file;
  }
}
