package io.zkperp.sequencer.journal;

import java.io.IOException;

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
    SEQUENCE_GAP
  }

  private final Kind kind;
  private final long offset;

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
   * The byte offset of the damaged record.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }
}
