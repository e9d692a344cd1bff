package io.zkperp.l1;

import java.util.List;
import java.util.Objects;

/**
 * A call or transaction reverted with a custom error (or {@code Error(string)}) of the zkperp
 * contracts, decoded from its revert data: e.g. {@code WrongBatchNumber(2, 1)}. Immutable.
 */
public final class L1RevertException extends L1Exception {
  private static final long serialVersionUID = 1L;

  /** The error name when the revert data matches no known error. */
  public static final String UNKNOWN = "<unknown>";

  private final String errorName;
  private final transient List<Object> arguments;
  private final String revertData;

  /**
   * Creates the exception.
   *
   * @param errorName the custom error's name, or {@link #UNKNOWN}
   * @param arguments its decoded arguments ({@link java.math.BigInteger} for integers, {@code
   *     String} for addresses, {@code Boolean}, {@code byte[]})
   * @param revertData the raw revert data, 0x-hex
   * @param context what was being done (function name)
   */
  public L1RevertException(
      String errorName, List<Object> arguments, String revertData, String context) {
    super(
        context
            + " reverted: "
            + errorName
            + arguments
            + (UNKNOWN.equals(errorName) ? " " + revertData : ""),
        null);
    this.errorName = Objects.requireNonNull(errorName, "errorName");
    this.arguments = List.copyOf(arguments);
    this.revertData = revertData;
  }

  /**
   * The custom error's name.
   *
   * @return e.g. {@code "WrongBatchNumber"}
   */
  public String errorName() {
    return errorName;
  }

  /**
   * The decoded arguments, in declaration order.
   *
   * @return an immutable list
   */
  public List<Object> arguments() {
    return arguments;
  }

  /**
   * The raw revert data.
   *
   * @return 0x-hex
   */
  public String revertData() {
    return revertData;
  }
}
