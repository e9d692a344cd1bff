package io.zkperp.node.v3;

import java.util.Objects;

/**
 * A record that no format v3 step can prove (or whose step lacks something the journal does not
 * carry); the translator turns it into {@link V3Translation.Unprovable}. Package-private: callers
 * see the translation. Any thread.
 */
final class UnprovableRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String record;

  /**
   * A record the translator cannot turn into a step.
   *
   * @param record the record's type name
   * @param reason why
   */
  UnprovableRecordException(String record, String reason) {
    super(reason);
    this.record = Objects.requireNonNull(record, "record");
  }

  /**
   * The record's type name.
   *
   * @return e.g. {@code Liquidated}
   */
  String record() {
    return record;
  }
}
