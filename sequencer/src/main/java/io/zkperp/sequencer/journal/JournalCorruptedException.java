package io.zkperp.sequencer.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The journal is damaged somewhere other than its tail (or its header is wrong): recovery must not
 * guess. Thrown on the thread that reads the journal.
 */
public final class JournalCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What kind of damage. */
  public enum Kind {
    /** The file does not start with the journal magic and format. */
    BAD_HEADER,
    /** A record's checksum or length is wrong and valid data follows it. */
    BAD_RECORD_IN_MIDDLE,
    /** A record has a valid checksum but not the next sequence number. */
    SEQUENCE_GAP,
    /**
     * Records are in no segment: the first segment starts after the record the snapshot ends at (or
     * after record 1 without a snapshot), or a segment starts after the record that follows the
     * previous segment's last.
     */
    MISSING_SEGMENT,
    /**
     * A segment does not continue its predecessor: its first record is not the one its file name
     * says, or it starts at or before the previous segment's last record.
     */
    SEGMENT_OUT_OF_ORDER
  }

  private final Kind kind;
  private final long offset;
  private final String file;
  private final String detail;

  /**
   * Creates the exception.
   *
   * @param kind the kind of damage
   * @param offset the byte offset of the damaged record
   * @param message details
   */
  public JournalCorruptedException(Kind kind, long offset, String message) {
    super(kind + " at byte " + offset + ": " + message);
    this.kind = kind;
    this.offset = offset;
    this.file = null;
    this.detail = message;
  }

  /**
   * Creates the exception for damage in one journal segment.
   *
   * @param kind the kind of damage
   * @param file the segment file
   * @param offset the byte offset of the damaged record in that file
   * @param message details
   */
  public JournalCorruptedException(Kind kind, Path file, long offset, String message) {
    super(kind + " in " + file + " at byte " + offset + ": " + message);
    this.kind = kind;
    this.offset = offset;
    this.file = file.toString();
    this.detail = message;
  }

  /**
   * The kind of damage.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The same damage, located in a file.
   *
   * @param in the file the damage is in
   * @return a new exception naming the file (this one if it already names one)
   */
  public JournalCorruptedException inFile(Path in) {
    return file != null ? this : new JournalCorruptedException(kind, in, offset, detail);
  }

  /**
   * The segment file the damage is in, when known.
   *
   * @return the file's path, or null
   */
  public String file() {
    return file;
  }

  /**
   * The byte offset of the damaged record (in its segment file).
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }
}
