package io.zkperp.protocol.message;

/**
 * A field of a signed message lies outside the range its packing reserves for it (for example a
 * market id above 65535 or a fee cap of 2^32 ppm or more), so no message can be built for it and
 * nothing may be signed or verified. Thrown before anything is hashed; the message is not created.
 */
public final class InvalidMessageFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The message kind. */
  private final MessageType type;

  /** The field's name. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param type the message kind
   * @param field the field's name, as in the message record
   * @param value the rejected value
   * @param range the accepted range, in words
   */
  public InvalidMessageFieldException(MessageType type, String field, long value, String range) {
    super(
        type.tagName()
            + " message: field "
            + field
            + " = "
            + value
            + " is out of range (accepted: "
            + range
            + ")");
    this.type = type;
    this.field = field;
  }

  /**
   * The message kind.
   *
   * @return it
   */
  public MessageType type() {
    return type;
  }

  /**
   * The field that is out of range.
   *
   * @return its name
   */
  public String field() {
    return field;
  }
}
