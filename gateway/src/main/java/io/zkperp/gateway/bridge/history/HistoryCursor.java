package io.zkperp.gateway.bridge.history;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a newest-first history listing: the listing continues with the entries strictly
 * older than (journalSeq, index). Written as {@code "<journalSeq>.<index>"} (decimal), the form
 * {@code nextCursor} takes in the JSON-RPC answers; clients pass it back unchanged. Immutable.
 *
 * @param journalSeq the journal sequence of the last entry returned, ≥ 1
 * @param index its index within that record (0 for listings with one entry per record)
 */
public record HistoryCursor(long journalSeq, int index) {
  private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,18})\\.(0|[1-9][0-9]{0,9})");

  /** The start of a listing: before everything. */
  public static final HistoryCursor NEWEST = new HistoryCursor(Long.MAX_VALUE, Integer.MAX_VALUE);

  /**
   * A cursor.
   *
   * @param journalSeq see the record
   * @param index see the record
   */
  public HistoryCursor {
    if (journalSeq < 1 || index < 0) {
      throw new IllegalArgumentException("cursor (" + journalSeq + ", " + index + ") out of range");
    }
  }

  /**
   * Parses the text form.
   *
   * @param text {@code "<journalSeq>.<index>"}
   * @return the cursor
   * @throws IllegalArgumentException with what a cursor looks like, if the text is not one
   */
  public static HistoryCursor parse(String text) {
    Matcher m = FORM.matcher(text);
    if (m.matches()) {
      try {
        long seq = Long.parseLong(m.group(1));
        long index = Long.parseLong(m.group(2));
        if (index <= Integer.MAX_VALUE) {
          return new HistoryCursor(seq, (int) index);
        }
      } catch (NumberFormatException e) {
        // out of range: fall through
      }
    }
    throw new IllegalArgumentException(
        "not a cursor: expected the \"nextCursor\" of a previous answer (\"<journalSeq>.<index>\","
            + " e.g. \"1234.0\")");
  }

  @Override
  public String toString() {
    return journalSeq + "." + index;
  }
}
