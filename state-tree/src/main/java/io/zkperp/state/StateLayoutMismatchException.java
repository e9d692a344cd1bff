package io.zkperp.state;

/**
 * Thrown by {@link RollupStateStore#open} when the database records another layout version or other
 * tree depths than this build ({@code StateLayout}). Nothing has been written to the database. Its
 * {@link #error()} is {@link StateError#LAYOUT_MISMATCH}.
 *
 * <p>Immutable; any thread.
 */
public final class StateLayoutMismatchException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final long stored;
  private final long expected;

  /**
   * Creates the exception.
   *
   * @param field the metadata entry that differs, e.g. {@code layout.version} or {@code
   *     depth.accounts}
   * @param stored the value in the database
   * @param expected the value this build requires
   */
  public StateLayoutMismatchException(String field, long stored, long expected) {
    super(
        StateError.LAYOUT_MISMATCH,
        "the database records "
            + field
            + " = "
            + stored
            + " but this build uses "
            + expected
            + "; a database of another layout cannot be opened (nothing was written)");
    this.field = field;
    this.stored = stored;
    this.expected = expected;
  }

  /**
   * The metadata entry that differs.
   *
   * @return its name
   */
  public String field() {
    return field;
  }

  /**
   * The value recorded in the database.
   *
   * @return the stored value
   */
  public long stored() {
    return stored;
  }

  /**
   * The value this build requires.
   *
   * @return the expected value
   */
  public long expected() {
    return expected;
  }
}
