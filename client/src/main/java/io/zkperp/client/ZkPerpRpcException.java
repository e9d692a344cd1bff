package io.zkperp.client;

/**
 * A JSON-RPC error answered by the gateway: its code, its name ({@code error.data.error}, e.g.
 * {@code PRICE_NOT_TICK_MULTIPLE}; empty if the gateway gave none) and its message. Immutable; any
 * thread.
 */
public final class ZkPerpRpcException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The JSON-RPC error code. */
  private final int code;

  /** The error's name, or the empty string. */
  private final String name;

  /**
   * An RPC error.
   *
   * @param code the JSON-RPC error code
   * @param name the error's name ({@code data.error}), or the empty string
   * @param message the error's message
   */
  public ZkPerpRpcException(int code, String name, String message) {
    super(message);
    this.code = code;
    this.name = name;
  }

  /**
   * The JSON-RPC error code (e.g. -32602, or a core rejection code such as 1201). Any thread.
   *
   * @return the code
   */
  public int code() {
    return code;
  }

  /**
   * The error's name, e.g. {@code INVALID_PARAMS} or {@code PRICE_NOT_TICK_MULTIPLE}. Any thread.
   *
   * @return the name, or the empty string if the gateway gave none
   */
  public String name() {
    return name;
  }

  /**
   * {@code code name: message}, the form the command-line client prints. Any thread.
   *
   * @return the one-line description
   */
  public String describe() {
    return code + (name.isEmpty() ? "" : " " + name) + ": " + getMessage();
  }
}
